// Generated Python and TypeScript modules for the scan-speed figures: a container per function
// group, the shape where per-container work over the whole file used to make scans quadratic.

export function generatedPython(seed: number): string {
  const lines = [`"""Generated module ${seed}."""`, 'import json', 'import time', '', `_cache_${seed} = {}`, `history_${seed} = []`, ''];
  for (let f = 0; f < 12; f++) {
    lines.push(
      `def handler_${seed}_${f}(event, limit=${f + 3}):`,
      `    """Handles one event of kind ${f}."""`,
      `    key = (event["id"], ${f})`,
      `    if key in _cache_${seed}:`,
      `        return _cache_${seed}[key]`,
      '    total = 0',
      '    for i in range(limit):',
      `        total += i * ${f}`,
      `    if len(_cache_${seed}) > 1000:`,
      `        _cache_${seed}.clear()`,
      `    _cache_${seed}[key] = total`,
      `    history_${seed}.append(total)`,
      `    del history_${seed}[:-100]`,
      '    return json.dumps({"total": total, "at": time.time()})',
      '',
    );
  }
  return lines.join('\n');
}

export function generatedTs(seed: number): string {
  const lines = [`// Generated module ${seed}.`, "import { EventEmitter } from 'node:events';", '', `const bus${seed} = new EventEmitter();`, `const memo${seed} = new Map<string, number>();`, ''];
  lines.push(`export class Service${seed} {`, '  private timer: ReturnType<typeof setInterval> | undefined;', '  private samples: number[] = [];', '');
  for (let m = 0; m < 10; m++) {
    lines.push(
      `  handle${m}(id: string, value: number): number {`,
      `    const key = \`\${id}:${m}\`;`,
      `    const hit = memo${seed}.get(key);`,
      '    if (hit !== undefined) return hit;',
      `    memo${seed}.set(key, value * ${m});`,
      `    if (memo${seed}.size > 500) memo${seed}.delete(key);`,
      '    this.samples.push(value);',
      '    if (this.samples.length > 100) this.samples.shift();',
      `    bus${seed}.once('tick', () => this.samples.pop());`,
      `    return value * ${m};`,
      '  }',
      '',
    );
  }
  lines.push('  start(): void {', '    this.timer = setInterval(() => this.handle0("x", 1), 1000);', '  }', '', '  dispose(): void {', '    clearInterval(this.timer);', '  }', '}', '');
  return lines.join('\n');
}

/** Generated modules (seed 0, 1, …) joined until the file holds at least `bytes` characters. */
export function fileOf(bytes: number, generate: (seed: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let seed = 0; size < bytes; seed++) {
    const part = generate(seed);
    parts.push(part);
    size += part.length;
  }
  return parts.join('\n');
}
