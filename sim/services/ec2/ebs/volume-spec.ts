// EBS volume parameters checked as CreateVolume checks them: size limits per type, IOPS and
// throughput only where the type takes them and within their ratios, a size no smaller than the
// snapshot. Pure: returns the normalised size, type, IOPS and throughput.
import { SimError } from "../../../api/errors.js";

export interface VolumeParams {
  size?: number;
  snapshotSize?: number;
  volumeType?: string;
  iops?: number;
  throughput?: number;
}

export interface VolumeShape {
  size: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
}

interface TypeRules {
  minSize: number;
  maxSize: number;
  /** [min, max, max per GiB]; undefined when the type takes no IOPS */
  iops?: [number, number, number];
  iopsRequired?: boolean;
}

const TYPES: Record<string, TypeRules> = {
  gp2: { minSize: 1, maxSize: 16384 },
  gp3: { minSize: 1, maxSize: 16384, iops: [3000, 16000, 500] },
  io1: { minSize: 4, maxSize: 16384, iops: [100, 64000, 50], iopsRequired: true },
  io2: { minSize: 4, maxSize: 65536, iops: [100, 256000, 1000], iopsRequired: true },
  st1: { minSize: 125, maxSize: 16384 },
  sc1: { minSize: 125, maxSize: 16384 },
  standard: { minSize: 1, maxSize: 1024 },
};

const invalid = (message: string): SimError => new SimError("InvalidParameterValue", message);

export function checkVolumeParams(p: VolumeParams, defaultType = "gp2"): VolumeShape {
  const volumeType = p.volumeType ?? defaultType;
  const rules = TYPES[volumeType];
  if (!rules)
    throw invalid(
      `Value (${volumeType}) for parameter volumeType is invalid. Allowed values are ${Object.keys(TYPES).join(", ")}.`,
    );
  if (p.size === undefined && p.snapshotSize === undefined)
    throw new SimError("MissingParameter", "The request must contain the parameter size or snapshotId");
  const size = p.size ?? Math.max(p.snapshotSize ?? 0, rules.minSize);
  if (p.snapshotSize !== undefined && size < p.snapshotSize)
    throw invalid(`Volume of ${size}GiB is too small; minimum is ${p.snapshotSize}GiB.`);
  if (size < rules.minSize)
    throw invalid(`Volume of ${size}GiB is too small; minimum is ${rules.minSize}GiB.`);
  if (size > rules.maxSize)
    throw invalid(`Volume of ${size}GiB is too large; maximum is ${rules.maxSize}GiB.`);
  return {
    size,
    volumeType,
    ...checkIops(volumeType, rules, size, p.iops),
    ...checkThroughput(volumeType, p),
  };
}

function checkIops(
  type: string,
  rules: TypeRules,
  size: number,
  iops: number | undefined,
): { iops?: number } {
  if (!rules.iops) {
    if (iops !== undefined)
      throw new SimError(
        "InvalidParameterCombination",
        `The parameter iops is not supported for ${type} volumes.`,
      );
    // gp2 reports its baseline: 3 IOPS per GiB, at least 100, at most 16,000.
    return type === "gp2" ? { iops: Math.min(16000, Math.max(100, size * 3)) } : {};
  }
  const [min, max, perGiB] = rules.iops;
  if (iops === undefined) {
    if (rules.iopsRequired)
      throw new SimError("MissingParameter", "The request must contain the parameter iops");
    return { iops: min };
  }
  if (iops < min || iops > max)
    throw invalid(
      `Volume iops of ${iops} is ${iops < min ? "too low; minimum" : "too high; maximum"} is ${iops < min ? min : max}.`,
    );
  if (iops > size * perGiB)
    throw invalid(
      `Iops to volume size ratio of ${(iops / size).toFixed(1)} is too high; maximum is ${perGiB}.`,
    );
  return { iops };
}

function checkThroughput(type: string, p: VolumeParams): { throughput?: number } {
  if (type !== "gp3") {
    if (p.throughput !== undefined)
      throw new SimError(
        "InvalidParameterCombination",
        `The parameter throughput is not supported for ${type} volumes.`,
      );
    return {};
  }
  const throughput = p.throughput ?? 125;
  if (throughput < 125 || throughput > 1000)
    throw invalid(
      `Throughput of ${throughput} MiB/s is out of range; it must be between 125 and 1000 MiB/s.`,
    );
  const iops = p.iops ?? 3000;
  if (throughput > iops / 4)
    throw invalid(
      `Throughput (MiBps) to iops ratio of ${(throughput / iops).toFixed(2)} is too high; maximum is 0.25.`,
    );
  return { throughput };
}
