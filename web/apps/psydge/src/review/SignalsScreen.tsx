export function SignalsScreen() {
  return <h1 className="text-xl font-bold">Signals</h1>;
}
