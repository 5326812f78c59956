// The probe engine (the Node inspector's WebSocket client, the Python injector and its scripts:
// a third of the extension's bundle) is loaded the first time a probe or a memory action runs,
// not when the extension activates. scripts/build.mjs turns this dynamic import into
// dist/probe-engine.js, a bundle of its own beside dist/extension.js; elsewhere (tests, benches)
// it is an ordinary import.
export type ProbeEngine = typeof import('../core/probe');

export function loadProbeEngine(): Promise<ProbeEngine> {
  return import('../core/probe');
}
