// The memory panel UI. Owned by the panel issue; this is the seed of it.
import { PROTOCOL_VERSION } from '../src/core/protocol';

document.body.dataset.protocol = String(PROTOCOL_VERSION);
