export function JournalScreen() {
  return <h1 className="text-xl font-bold">Journal</h1>;
}
