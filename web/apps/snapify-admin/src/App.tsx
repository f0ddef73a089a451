export function App() {
  return <main className="p-6"><h1 className="text-xl font-bold">Snapify · Admin</h1></main>;
}
