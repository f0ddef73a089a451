export function DisciplineScreen() {
  return <h1 className="text-xl font-bold">Discipline</h1>;
}
