// Host <-> webview messages. Owned by the panel issue; this is the seed of it.
export const PROTOCOL_VERSION = 1;
