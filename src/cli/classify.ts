// Placeholder: replaced by the issue that owns `leakscope classify`.
import { CliCommand, CliError } from './io';

export const classifyCommand: CliCommand = {
  name: 'classify',
  summary: '(not built yet)',
  help: 'leakscope classify: not built yet',
  async run() {
    throw new CliError('classify is not built yet', 1);
  },
};
