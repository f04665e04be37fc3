// Query-protocol lists as the SDKs send an empty one: `AutoScalingGroupNames=` (the key with an
// empty value). The shared ParamReader reads that as a string; here it is the empty list.
import { ParamReader, type Params } from "../../api/params.js";
import type { OpHandler } from "../types.js";

export class ListParamReader extends ParamReader {
  override strings(name: string): string[] {
    return this.raw[name] === "" ? [] : super.strings(name);
  }

  override objects(name: string): ParamReader[] {
    return this.raw[name] === "" ? [] : super.objects(name).map((p) => new ListParamReader(p.raw));
  }

  override obj(name: string): ParamReader | undefined {
    const p = super.obj(name);
    return p && new ListParamReader(p.raw);
  }
}

/** Every operation of the table reads its parameters through ListParamReader. */
export function withListParams(ops: Record<string, OpHandler>): Record<string, OpHandler> {
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [
      name,
      (ctx) => op({ ...ctx, params: new ListParamReader(ctx.params.raw as Params) }),
    ]),
  );
}
