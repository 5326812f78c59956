// Counts, in a V8 heap snapshot, what a piece of code made that is still alive: instances of its
// classes (an object's class, found through its map's prototype) and its closures (a function's
// SharedFunctionInfo names its script). Exact where ownHeap.ts samples, but blind to the plain
// objects, arrays and strings the code made (their constructor is Object's or Array's, or none):
// ownHeap.ts's allocation stacks count those.

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
  /** Where closures' code starts: [node offset, script id, line, column] flat, 0-based. */
  locations?: number[];
}

export interface CensusEntry {
  /** "class WatchSession" (its instances) or "closure onSample:120" (functions made from the code at that line). */
  kind: string;
  count: number;
  selfBytes: number;
}

/** The snapshot's flat arrays read as a graph of nodes (by index) and named edges. */
class SnapshotGraph {
  private readonly nodeFields: number;
  private readonly edgeFields: number;
  private readonly firstEdge: Uint32Array;
  private readonly edgeTypes: string[];
  private readonly field: Record<'type' | 'name' | 'selfSize' | 'edgeCount', number>;

  constructor(private readonly s: Snapshot) {
    const meta = s.snapshot.meta;
    this.nodeFields = meta.node_fields.length;
    this.edgeFields = meta.edge_fields.length;
    this.field = {
      type: meta.node_fields.indexOf('type'),
      name: meta.node_fields.indexOf('name'),
      selfSize: meta.node_fields.indexOf('self_size'),
      edgeCount: meta.node_fields.indexOf('edge_count'),
    };
    this.edgeTypes = meta.edge_types[0];
    const locations = s.locations ?? [];
    for (let i = 0; i + 3 < locations.length; i += 4) this.lines.set(locations[i], locations[i + 2] + 1);
    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    for (let i = 0; i < this.nodeCount; i++) this.firstEdge[i + 1] = this.firstEdge[i] + this.s.nodes[i * this.nodeFields + this.field.edgeCount] * this.edgeFields;
  }

  get nodeCount(): number {
    return this.s.nodes.length / this.nodeFields;
  }

  type(node: number): string {
    return this.s.snapshot.meta.node_types[0][this.s.nodes[node * this.nodeFields + this.field.type]];
  }

  name(node: number): string {
    return this.s.strings[this.s.nodes[node * this.nodeFields + this.field.name]];
  }

  /** The 1-based line where a closure's code starts, when the snapshot records locations. */
  line(node: number): number | undefined {
    return this.lines.get(node * this.nodeFields);
  }

  private readonly lines = new Map<number, number>();

  selfSize(node: number): number {
    return this.s.nodes[node * this.nodeFields + this.field.selfSize];
  }

  /** The node an edge of this type named by `pattern` leads to (internal edges name V8's own fields). */
  edge(node: number, type: 'internal' | 'property', pattern: RegExp): number | undefined {
    const typeIndex = this.edgeTypes.indexOf(type);
    for (let e = this.firstEdge[node]; e < this.firstEdge[node + 1]; e += this.edgeFields) {
      if (this.s.edges[e] === typeIndex && pattern.test(this.s.strings[this.s.edges[e + 1]])) return this.s.edges[e + 2] / this.nodeFields;
    }
    return undefined;
  }
}

/** The script a closure's code comes from (V8 names the field `script`, or `script_or_debug_info` before V8 12). */
function scriptOf(graph: SnapshotGraph, closure: number): string | undefined {
  const shared = graph.edge(closure, 'internal', /^shared$/);
  const script = shared === undefined ? undefined : graph.edge(shared, 'internal', /^script/);
  return script === undefined ? undefined : graph.name(script);
}

/**
 * An object's class: its prototype's `constructor`. (Its map's own constructor field is the base
 * class's for an instance of a subclass: V8 copies the base's initial map.)
 */
function constructorOf(graph: SnapshotGraph, object: number): number | undefined {
  const map = graph.edge(object, 'internal', /^map$/);
  const prototype = map === undefined ? undefined : graph.edge(map, 'internal', /^prototype$/);
  const constructor = prototype === undefined ? undefined : graph.edge(prototype, 'property', /^constructor$/);
  return constructor !== undefined && graph.type(constructor) === 'closure' ? constructor : undefined;
}

/** What the scripts `isOwnScript` accepts (by file path) made that the snapshot holds, by kind. */
export function censusOfOwnObjects(snapshotJson: string, isOwnScript: (path: string) => boolean): Map<string, CensusEntry> {
  const graph = new SnapshotGraph(JSON.parse(snapshotJson) as Snapshot);
  const census = new Map<string, CensusEntry>();
  const ownConstructor = new Map<number, boolean>();
  const count = (kind: string, node: number): void => {
    const entry = census.get(kind) ?? { kind, count: 0, selfBytes: 0 };
    entry.count++;
    entry.selfBytes += graph.selfSize(node);
    census.set(kind, entry);
  };
  for (let node = 0; node < graph.nodeCount; node++) {
    const type = graph.type(node);
    if (type === 'closure') {
      if (isOwnScript(scriptOf(graph, node) ?? '')) count(`closure ${graph.name(node) || '(anonymous)'}:${graph.line(node) ?? '?'}`, node);
    } else if (type === 'object') {
      const constructor = constructorOf(graph, node);
      if (constructor === undefined) continue;
      if (!ownConstructor.has(constructor)) ownConstructor.set(constructor, isOwnScript(scriptOf(graph, constructor) ?? ''));
      if (ownConstructor.get(constructor)) count(`class ${graph.name(constructor) || graph.name(node)}`, node);
    }
  }
  return census;
}

/** The kinds there are more of in `after` than in `before`, the most grown first. */
export function grownKinds(before: Map<string, CensusEntry>, after: Map<string, CensusEntry>): { kind: string; before: number; after: number }[] {
  return [...after.values()]
    .map((e) => ({ kind: e.kind, before: before.get(e.kind)?.count ?? 0, after: e.count }))
    .filter((e) => e.after > e.before)
    .sort((a, b) => b.after - b.before - (a.after - a.before));
}

export function totalCount(census: Map<string, CensusEntry>): number {
  return [...census.values()].reduce((sum, e) => sum + e.count, 0);
}
