// Prometheus credentials in VS Code's secret storage (the OS keychain where there is one), keyed
// by the server's origin: never in settings, never in a file of the workspace.
import * as vscode from 'vscode';
import type { PrometheusAuth } from '../core/fleet';

const KEY_PREFIX = 'leakscope.prometheus.credentials:';

/** What "Set Prometheus credentials…" accepts as its argument (tests, other extensions' calls). */
export type CredentialsArgument = { url: string } & ({ token: string } | { user: string; password: string } | { forget: true });

export class PrometheusCredentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The stored credentials for the server at `url` (matched by origin), or undefined. */
  async get(url: string): Promise<PrometheusAuth | undefined> {
    const text = await this.secrets.get(keyOf(url));
    return text === undefined ? undefined : parseAuth(text);
  }

  async store(url: string, auth: PrometheusAuth): Promise<void> {
    await this.secrets.store(keyOf(url), JSON.stringify(auth));
  }

  async forget(url: string): Promise<void> {
    await this.secrets.delete(keyOf(url));
  }
}

/** http://prometheus:9090/some/prefix and http://prometheus:9090 share one server, so one key. Throws on a malformed URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

function keyOf(url: string): string {
  return KEY_PREFIX + originOf(url);
}

/** A stored value written by an older or other version is ignored rather than sent half-formed. */
function parseAuth(text: string): PrometheusAuth | undefined {
  try {
    const value = JSON.parse(text) as Partial<{ kind: string; token: string; user: string; password: string }>;
    if (value.kind === 'bearer' && typeof value.token === 'string') return { kind: 'bearer', token: value.token };
    if (value.kind === 'basic' && typeof value.user === 'string' && typeof value.password === 'string') return { kind: 'basic', user: value.user, password: value.password };
  } catch {
    // fall through: not ours
  }
  return undefined;
}

/** The auth an argument object stands for, or 'forget'. */
export function authOfArgument(arg: CredentialsArgument): PrometheusAuth | 'forget' {
  if ('forget' in arg) return 'forget';
  if ('token' in arg) return { kind: 'bearer', token: arg.token };
  return { kind: 'basic', user: arg.user, password: arg.password };
}

/** Asks for the kind of credentials and the secret itself; undefined when the user cancels. */
export async function askCredentials(origin: string, hasStored: boolean): Promise<PrometheusAuth | 'forget' | undefined> {
  const items = [
    { label: 'Bearer token', choice: 'bearer' as const, detail: 'Sent as "Authorization: Bearer …"' },
    { label: 'User and password', choice: 'basic' as const, detail: 'Sent as HTTP basic authentication' },
    ...(hasStored ? [{ label: 'Forget the stored credentials', choice: 'forget' as const, detail: `Send nothing to ${origin}` }] : []),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Credentials for ${origin}`, placeHolder: 'Kept in VS Code\'s secret storage, never in settings' });
  if (!picked) return undefined;
  if (picked.choice === 'forget') return 'forget';
  if (picked.choice === 'bearer') {
    const token = await vscode.window.showInputBox({ title: `Bearer token for ${origin}`, password: true, ignoreFocusOut: true, validateInput: required });
    return token ? { kind: 'bearer', token } : undefined;
  }
  const user = await vscode.window.showInputBox({ title: `User for ${origin}`, ignoreFocusOut: true, validateInput: required });
  if (!user) return undefined;
  const password = await vscode.window.showInputBox({ title: `Password of ${user} for ${origin}`, password: true, ignoreFocusOut: true });
  return password === undefined ? undefined : { kind: 'basic', user, password };
}

function required(value: string): string | undefined {
  return value.trim() ? undefined : 'Required';
}
