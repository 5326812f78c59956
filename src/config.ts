// Typed access to the `leakscope.*` settings (declared in package.json).
import * as vscode from 'vscode';
import { DEFAULT_INTERVAL_MS, clampToSettingInterval } from './core/shared/samplingInterval';
import { WatchSessionOptions } from './core/session';
import { DEFAULT_HINT_SETTING, HintSetting, hintSettingOf } from './core/rules/hintVisibility';
import { parseBytes } from './core/units';

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint';

/** The session options (sampling, history, limits) plus the rest of the settings. */
export interface LeakscopeConfig extends WatchSessionOptions {
  notifyLeakSuspected: boolean;
  /** "Run with memory monitor" paces full GCs in the Node program it starts (core/gcPacing.ts). */
  gcPacing: boolean;
  rulesEnabled: boolean;
  disabledRules: string[];
  ruleSeverity: Record<string, RuleSeverity>;
  /** Where the broad tier's weaker suspicions are shown: nowhere, in files known to leak, everywhere. */
  ruleHints: HintSetting;
  probeWindowMs: number;
}

const SECTION = 'leakscope';

export function readConfig(): LeakscopeConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const minutes = c.get<number>('limits.durationMinutes', 0);
  return {
    intervalMs: clampToSettingInterval(c.get<number>('sampling.intervalMs', DEFAULT_INTERVAL_MS)),
    detailIntervalMs: Math.max(0, c.get<number>('sampling.detailIntervalMs', 30_000)),
    maxSamples: Math.max(1000, c.get<number>('history.maxSamples', 86_400)),
    memoryLimitBytes: memoryLimit(c.get<string>('limits.memory', '12GB')),
    durationLimitMs: minutes > 0 ? minutes * 60_000 : undefined,
    warnAtFraction: clamp(c.get<number>('limits.warnAtFraction', 0.8), 0.1, 1),
    notifyLeakSuspected: c.get<boolean>('notifications.leakSuspected', true),
    gcPacing: c.get<boolean>('run.gcPacing', true),
    rulesEnabled: c.get<boolean>('rules.enabled', true),
    disabledRules: c.get<string[]>('rules.disabled', []),
    ruleSeverity: c.get<Record<string, RuleSeverity>>('rules.severity', {}),
    // A boolean from before the enum still means what it meant (true: everywhere, false: off).
    ruleHints: hintSettingOf(c.get<unknown>('rules.hints', DEFAULT_HINT_SETTING)),
    probeWindowMs: clamp(c.get<number>('probe.windowSeconds', 10), 2, 300) * 1000,
  };
}

/** Where "Open fleet from Prometheus…" reads from, and what (durations as typed: "6h", "15s"). */
export interface FleetSettings {
  prometheusUrl: string;
  query: string;
  range: string;
  step: string;
}

export function readFleetSettings(): FleetSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    prometheusUrl: c.get<string>('fleet.prometheusUrl', ''),
    query: c.get<string>('fleet.query', 'process_resident_memory_bytes'),
    range: c.get<string>('fleet.range', '6h'),
    step: c.get<string>('fleet.step', '15s'),
  };
}

/** Where the extension serves /metrics of its watched processes ("" = not at all). */
export interface OpenMetricsSettings {
  listen: string;
  allowPublic: boolean;
}

export function readOpenMetricsSettings(): OpenMetricsSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return { listen: c.get<string>('openMetrics.listen', '').trim(), allowPublic: c.get<boolean>('openMetrics.allowPublic', false) };
}

/** Fires when any `leakscope.*` setting changes. */
export function onDidChangeConfig(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}

/** The last malformed limit warned about: settings are read often, the warning is said once. */
let warnedLimitText: string | undefined;

function memoryLimit(text: string): number | undefined {
  if (!text.trim()) return undefined;
  try {
    return parseBytes(text);
  } catch {
    if (warnedLimitText !== text) {
      warnedLimitText = text;
      void vscode.window.showWarningMessage(vscode.l10n.t('Leakscope: the memory limit "{0}" is not a size like 12GB or 800MB; no limit is applied.', text));
    }
    return undefined;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
}
