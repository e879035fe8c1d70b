// The application shell.
export function App() {
  return <h1>Tandem</h1>;
}
