export function TradeScreen() {
  return <h1 className="text-xl font-bold">Trade</h1>;
}
