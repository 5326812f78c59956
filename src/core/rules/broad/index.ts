// The broad tier's rules (issue 13), run by the engine after the strict rules when a scan asks
// for hints. Each reports under a strict rule's id with severity `hint`.
import { Rule } from '../rule';
import { hintRule } from './hint-rule';
import { jsContainerHints } from './js-containers';
import { pythonContainerHints } from './python-containers';
import { registrationHints } from './registrations';
import { jsTimerHints, pythonTimerHints } from './timers';

const PYTHON_CONTAINER_NODES = ['assignment', 'augmented_assignment', 'call', 'class_definition'];
const JS_CONTAINER_NODES = ['variable_declarator', 'field_definition', 'public_field_definition', 'assignment_expression', 'augmented_assignment_expression', 'call_expression'];

export const HINT_RULES: readonly Rule[] = [
  hintRule('unbounded-cache', 'python', PYTHON_CONTAINER_NODES, 'containers', pythonContainerHints),
  hintRule('unbounded-collection', 'python', PYTHON_CONTAINER_NODES, 'containers', pythonContainerHints),
  hintRule('handler-not-cleared', 'python', ['call'], 'registrations', registrationHints),
  hintRule('timer-not-cleared', 'python', ['call'], 'timers', pythonTimerHints),
  hintRule('unbounded-cache', 'js', JS_CONTAINER_NODES, 'containers', jsContainerHints),
  hintRule('unbounded-collection', 'js', JS_CONTAINER_NODES, 'containers', jsContainerHints),
  hintRule('handler-not-cleared', 'js', ['call_expression'], 'registrations', registrationHints),
  hintRule('timer-not-cleared', 'js', ['call_expression'], 'timers', jsTimerHints),
];
