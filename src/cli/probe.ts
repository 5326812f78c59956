// Placeholder: replaced by the issue that owns `leakscope probe`.
import { CliCommand, CliError } from './io';

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: '(not built yet)',
  help: 'leakscope probe: not built yet',
  async run() {
    throw new CliError('probe is not built yet', 1);
  },
};
