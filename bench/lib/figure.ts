// The one format of the performance table's lines (issue 16): "figure: value (goal ≤ …) OK/OVER".
// Every goal of the table is an upper bound; the baseline the figure is read against is printed
// beside it by the bench, measured in the same run.

/** Prints the figure's line and returns whether it meets its goal (value ≤ goal). */
export function figure(name: string, value: number, goal: number, unit: string, note = ''): boolean {
  const ok = value <= goal;
  const space = unit === '%' || unit === '×' ? '' : ' ';
  console.log(`${name}: ${format(value)}${space}${unit} (goal ≤ ${format(goal)}${space}${unit}) ${ok ? 'OK' : 'OVER'}${note ? `; ${note}` : ''}`);
  return ok;
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}
