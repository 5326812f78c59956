// The fleet commands' arguments, checked: a command can be run with anything (a keybinding's
// args, another extension, a test), and a wrong shape is ignored, not half-used.
import type { FleetRow } from '../core/fleet';
import type { CredentialsArgument } from './credentials';

/** What "Open fleet from Prometheus…" accepts as its argument: anything left out comes from the settings. */
export interface OpenFleetArgument {
  url?: string;
  query?: string;
  range?: string;
  step?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

export function openFleetArgument(value: unknown): OpenFleetArgument | undefined {
  if (!isRecord(value)) return undefined;
  const fields = ['url', 'query', 'range', 'step'] as const;
  if (!fields.every((name) => value[name] === undefined || isString(value[name]))) return undefined;
  const arg: OpenFleetArgument = {};
  for (const name of fields) if (isString(value[name])) arg[name] = value[name];
  return arg;
}

export function credentialsArgument(value: unknown): CredentialsArgument | undefined {
  if (!isRecord(value) || !isString(value.url)) return undefined;
  if (value.forget === true) return { url: value.url, forget: true };
  if (isString(value.token)) return { url: value.url, token: value.token };
  if (isString(value.user) && isString(value.password)) return { url: value.url, user: value.user, password: value.password };
  return undefined;
}

/** A row as the fleet view hands it to its click command. */
export function fleetRowArgument(value: unknown): FleetRow | undefined {
  if (!isRecord(value) || !isString(value.name) || !isString(value.class) || !isRecord(value.labels)) return undefined;
  return Object.values(value.labels).every(isString) ? (value as unknown as FleetRow) : undefined;
}
