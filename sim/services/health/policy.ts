// What a light instance (no processes, nothing listening) answers to a health check. Scale tests
// run thousands of them, so by default a running light instance passes; a test can make all of
// them, or one, fail or be probed for real. Full instances are always probed for real.
export type LightMode = "healthy" | "unhealthy" | "probe";

export class LightPolicy {
  private fallback: LightMode = "healthy";
  private readonly overrides = new Map<string, LightMode>();

  modeFor(instanceId: string): LightMode {
    return this.overrides.get(instanceId) ?? this.fallback;
  }

  setDefault(mode: LightMode): void {
    this.fallback = mode;
  }

  /** undefined clears the instance's override. */
  setOverride(instanceId: string, mode: LightMode | undefined): void {
    if (mode) this.overrides.set(instanceId, mode);
    else this.overrides.delete(instanceId);
  }

  toJSON(): { light: LightMode; overrides: Record<string, LightMode> } {
    return { light: this.fallback, overrides: Object.fromEntries(this.overrides) };
  }
}

/** Control-API body `{healthy: bool}` or `{probe: true}`; undefined when it names no mode. */
export function modeFromBody(body: { healthy?: unknown; probe?: unknown }): LightMode | undefined {
  if (body.probe === true) return "probe";
  if (body.healthy === true) return "healthy";
  if (body.healthy === false) return "unhealthy";
  return undefined;
}
