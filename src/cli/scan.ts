// Placeholder: replaced by the issue that owns `leakscope scan`.
import { CliCommand, CliError } from './io';

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: '(not built yet)',
  help: 'leakscope scan: not built yet',
  async run() {
    throw new CliError('scan is not built yet', 1);
  },
};
