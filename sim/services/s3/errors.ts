// S3 errors: code, message and HTTP status as S3 returns them, plus the extra elements some
// carry (`<Key>`, `<BucketName>`, `<Condition>`).
import { SimError } from "../../api/errors.js";

export class S3Error extends SimError {
  constructor(
    code: string,
    message: string,
    status: number,
    /** Extra elements of the error document. */
    readonly extra: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

export const noSuchBucket = (bucket: string): S3Error =>
  new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket });

export const noSuchKey = (key: string): S3Error =>
  new S3Error("NoSuchKey", "The specified key does not exist.", 404, { Key: key });

export const preconditionFailed = (condition: string): S3Error =>
  new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, {
    Condition: condition,
  });

export const notImplemented = (what: string): S3Error =>
  new S3Error("NotImplemented", "A header you provided implies functionality that is not implemented", 501, {
    Header: what,
  });

export const invalidArgument = (message: string, name?: string, value?: string): S3Error =>
  new S3Error(
    "InvalidArgument",
    message,
    400,
    name ? { ArgumentName: name, ArgumentValue: value ?? "" } : {},
  );
