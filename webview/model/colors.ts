// Colour strings for canvas drawing: theme colours come as CSS strings, in hex or rgb(a).
// Pure: tested in Node.

/** The colour without its alpha channel (`#rrggbbaa`, `#rgba`, `rgba(...)`); others unchanged. */
export function opaque(color: string): string {
  const long = /^#([0-9a-f]{6})[0-9a-f]{2}$/i.exec(color);
  if (long) return `#${long[1]}`;
  const short = /^#([0-9a-f]{3})[0-9a-f]$/i.exec(color);
  if (short) return `#${short[1]}`;
  const rgba = /^rgba\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)[,\s/]+[\d.]+%?\s*\)$/i.exec(color);
  if (rgba) return `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})`;
  return color;
}

/** `#rrggbb` or `rgb(...)` with an alpha; other colour forms come back unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return withAlpha(`#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`, alpha);
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}
