// Placeholder: replaced by the issue that owns `leakscope watch`.
import { CliCommand, CliError } from './io';

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: '(not built yet)',
  help: 'leakscope watch: not built yet',
  async run() {
    throw new CliError('watch is not built yet', 1);
  },
};
