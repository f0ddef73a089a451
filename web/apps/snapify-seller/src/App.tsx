export function App() {
  return <main className="p-6"><h1 className="text-xl font-bold">Snapify · Seller</h1></main>;
}
