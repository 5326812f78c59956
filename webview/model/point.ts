// One drawn point, as chart.js takes it: x is a time in ms, y a reading.
export interface Point {
  x: number;
  y: number;
}
