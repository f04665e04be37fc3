// Response envelopes of the two XML protocols, for results and for errors.
import type { QueryService } from "../services/types.js";
import type { SimError } from "./errors.js";
import { escapeXml, toXml, type XmlValue } from "./xml.js";

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function queryResult(
  service: QueryService,
  action: string,
  requestId: string,
  result: XmlValue,
): string {
  if (service.name === "ec2") {
    return `${HEAD}<${action}Response xmlns="${service.xmlns}"><requestId>${requestId}</requestId>${toXml(result, "item")}</${action}Response>`;
  }
  const body =
    result === undefined || result === null
      ? ""
      : `<${action}Result>${toXml(result, "member")}</${action}Result>`;
  return `${HEAD}<${action}Response xmlns="${service.xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryError(service: QueryService | undefined, err: SimError, requestId: string): string {
  const code = escapeXml(err.code);
  const message = escapeXml(err.message);
  if (!service || service.name === "ec2") {
    return `${HEAD}<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  }
  return `${HEAD}<ErrorResponse xmlns="${service.xmlns}"><Error><Type>${err.type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** S3-style error document. */
export function restError(err: SimError, requestId: string, resource = ""): string {
  return `${HEAD}<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message><Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
}
