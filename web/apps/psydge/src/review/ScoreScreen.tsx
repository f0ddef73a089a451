export function ScoreScreen() {
  return <h1 className="text-xl font-bold">Score</h1>;
}
