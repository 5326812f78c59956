export function Memoize() {
  return function (target: object, key: string, descriptor: PropertyDescriptor) {
    const original = descriptor.value;
    const results = new Map<string, unknown>();
    descriptor.value = function (...args: unknown[]) {
      const id = JSON.stringify(args);
      if (!results.has(id)) results.set(id, original.apply(this, args)); // expect: unbounded-collection
      return results.get(id);
    };
    return descriptor;
  };
}

export function memoOne(fn: (x: string) => number) {
  const memo = new Map<string, number>();
  return (x: string) => {
    if (!memo.has(x)) memo.set(x, fn(x)); // expect: unbounded-cache
    return memo.get(x)!;
  };
}
