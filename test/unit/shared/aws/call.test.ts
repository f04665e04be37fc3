import { CreateTagsCommand, DescribeVolumesCommand, EC2ServiceException } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { awsCall, awsCode, awsSend, toAwsError } from "#shared/aws/call.js";
import { AwsError } from "#shared/errors.js";

const ec2Error = (
  name: string,
  message: string,
  o: { fault?: "client" | "server"; status?: number; retryable?: { throttling?: boolean } } = {},
) =>
  Object.assign(
    new EC2ServiceException({
      name,
      message,
      $fault: o.fault ?? "client",
      $metadata: { requestId: "req-1", ...(o.status !== undefined ? { httpStatusCode: o.status } : {}) },
    }),
    // Generated exception classes set it for their throttling errors; the base class takes none.
    o.retryable ? { $retryable: o.retryable } : {},
  );

const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });
const timeoutError = () => Object.assign(new Error("socket timed out"), { name: "TimeoutError" });

/** The AwsError a call failed with. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as AwsError,
  );

/** A client whose send fails with `err`, remembering what it was given. */
function failing(err: unknown) {
  const calls: unknown[][] = [];
  return {
    calls,
    send: async (...args: unknown[]) => {
      calls.push(args);
      throw err;
    },
  };
}

describe("awsSend: an AWS failure becomes an AwsError naming the operation and the ids", () => {
  const cases: {
    name: string;
    err: unknown;
    code: string;
    message: string;
    requestId?: string;
    httpStatus?: number;
    retryable: boolean;
  }[] = [
    {
      name: "a client fault of the service",
      err: ec2Error("InvalidVolume.NotFound", "The volume 'vol-1' does not exist.", { status: 400 }),
      code: "InvalidVolume.NotFound",
      message: "DescribeVolumes: vol-1: InvalidVolume.NotFound: The volume 'vol-1' does not exist.",
      requestId: "req-1",
      httpStatus: 400,
      retryable: false,
    },
    {
      name: "a server fault",
      err: ec2Error("InternalError", "An internal error has occurred", { fault: "server", status: 500 }),
      code: "InternalError",
      message: "DescribeVolumes: vol-1: InternalError: An internal error has occurred",
      requestId: "req-1",
      httpStatus: 500,
      retryable: true,
    },
    {
      name: "EC2's rate limit (503 with a throttling code)",
      err: ec2Error("RequestLimitExceeded", "Request limit exceeded.", { status: 503 }),
      code: "RequestLimitExceeded",
      message: "DescribeVolumes: vol-1: RequestLimitExceeded: Request limit exceeded.",
      requestId: "req-1",
      httpStatus: 503,
      retryable: true,
    },
    {
      name: "a throttling code on a 400",
      err: ec2Error("ThrottlingException", "Rate exceeded", { status: 400 }),
      code: "ThrottlingException",
      message: "DescribeVolumes: vol-1: ThrottlingException: Rate exceeded",
      requestId: "req-1",
      httpStatus: 400,
      retryable: true,
    },
    {
      name: "what the SDK marks $retryable",
      err: ec2Error("SomethingBusy", "busy", { status: 400, retryable: { throttling: true } }),
      code: "SomethingBusy",
      message: "DescribeVolumes: vol-1: SomethingBusy: busy",
      requestId: "req-1",
      httpStatus: 400,
      retryable: true,
    },
    {
      name: "HTTP 429 with an unknown code",
      err: ec2Error("Whatever", "slow down", { status: 429 }),
      code: "Whatever",
      message: "DescribeVolumes: vol-1: Whatever: slow down",
      requestId: "req-1",
      httpStatus: 429,
      retryable: true,
    },
    {
      name: "HTTP 502 with a client fault",
      err: ec2Error("BadGateway", "bad gateway", { status: 502 }),
      code: "BadGateway",
      message: "DescribeVolumes: vol-1: BadGateway: bad gateway",
      requestId: "req-1",
      httpStatus: 502,
      retryable: true,
    },
    {
      name: "a reset connection (no HTTP answer)",
      err: networkError("ECONNRESET", "socket hang up"),
      code: "AwsError",
      message: "DescribeVolumes: vol-1: AwsError: socket hang up",
      retryable: true,
    },
    {
      name: "a refused connection",
      err: networkError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:4566"),
      code: "AwsError",
      message: "DescribeVolumes: vol-1: AwsError: connect ECONNREFUSED 127.0.0.1:4566",
      retryable: true,
    },
    {
      name: "the SDK's request timeout",
      err: timeoutError(),
      code: "TimeoutError",
      message: "DescribeVolumes: vol-1: TimeoutError: socket timed out",
      retryable: true,
    },
    {
      name: "a plain error",
      err: new Error("boom"),
      code: "AwsError",
      message: "DescribeVolumes: vol-1: AwsError: boom",
      retryable: false,
    },
    {
      name: "an abort",
      err: Object.assign(new Error("Request aborted"), { name: "AbortError" }),
      code: "AbortError",
      message: "DescribeVolumes: vol-1: AbortError: Request aborted",
      retryable: false,
    },
    {
      name: "something thrown that is not an Error",
      err: "a string",
      code: "AwsError",
      message: "DescribeVolumes: vol-1: AwsError: a string",
      retryable: false,
    },
  ];

  it.each(cases)("$name", async (c) => {
    const client = failing(c.err);
    const err = await failure(
      awsSend(client, new DescribeVolumesCommand({ VolumeIds: ["vol-1"] }), { volumeId: "vol-1" }),
    );
    expect(err).toBeInstanceOf(AwsError);
    const e = err as AwsError;
    expect(e.operation).toBe("DescribeVolumes");
    expect(e.code).toBe(c.code);
    expect(awsCode(e)).toBe(c.code);
    expect(e.message).toBe(c.message);
    expect(e.context).toEqual({ volumeId: "vol-1", requestId: c.requestId, httpStatus: c.httpStatus });
    expect(e.retryable).toBe(c.retryable);
    expect(e.cause).toBe(c.err);
  });

  it.each(cases)("$name, found already done, is undefined", async (c) => {
    const client = failing(c.err);
    const seen: [string, string][] = [];
    const out = await awsSend(client, new DescribeVolumesCommand({}), {}, (code, message) => {
      seen.push([code, message]);
      return true;
    });
    expect(out).toBeUndefined();
    // The test sees the SDK's own code ("" when there is none) and message.
    expect(seen).toEqual([[awsCode(c.err), c.err instanceof Error ? c.err.message : ""]]);
  });
});

describe("awsSend", () => {
  it("names the operation after the command class and passes the answer through", async () => {
    const answer = { $metadata: {}, Volumes: [{ VolumeId: "vol-1" }] };
    const client = { send: async () => answer };
    await expect(awsSend(client, new DescribeVolumesCommand({}))).resolves.toBe(answer);
    const err = await failure(
      awsSend(failing(new Error("x")), new CreateTagsCommand({ Resources: [], Tags: [] })),
    );
    expect(err.operation).toBe("CreateTags");
    expect(err.message).toBe("CreateTags: AwsError: x");
  });

  it("leaves out ids that are undefined and keeps the others in order", async () => {
    const err = await failure(
      awsSend(failing(new Error("x")), new DescribeVolumesCommand({}), {
        volumeId: "vol-1",
        instanceId: undefined,
        device: "/dev/sdf",
      }),
    );
    expect(err.message).toBe("DescribeVolumes: vol-1 /dev/sdf: AwsError: x");
  });

  it("lets through only what the already-done test accepts", async () => {
    const gone = (code: string) => code === "InvalidVolume.NotFound";
    const notFound = ec2Error("InvalidVolume.NotFound", "gone", { status: 400 });
    const denied = ec2Error("UnauthorizedOperation", "no", { status: 403 });
    await expect(
      awsSend(failing(notFound), new DescribeVolumesCommand({}), {}, gone),
    ).resolves.toBeUndefined();
    await expect(
      awsSend(failing(notFound), new DescribeVolumesCommand({}), {}, { alreadyDone: gone }),
    ).resolves.toBeUndefined();
    await expect(awsSend(failing(denied), new DescribeVolumesCommand({}), {}, gone)).rejects.toMatchObject({
      code: "UnauthorizedOperation",
    });
  });

  it("hands the abort signal to the client, and nothing when there is none", async () => {
    const ac = new AbortController();
    const client = failing(new Error("x"));
    await awsSend(client, new DescribeVolumesCommand({}), {}, { abortSignal: ac.signal }).catch(
      () => undefined,
    );
    await awsSend(client, new DescribeVolumesCommand({}), {}).catch(() => undefined);
    expect(client.calls[0]?.[1]).toEqual({ abortSignal: ac.signal });
    expect(client.calls[1]).toHaveLength(1);
  });
});

describe("awsCall", () => {
  it("names a paginator's or waiter's failure after the operation given", async () => {
    const err = await failure(
      awsCall("DescribeSnapshots", { project: "shop" }, async () => {
        throw ec2Error("RequestLimitExceeded", "Request limit exceeded.", { status: 503 });
      }),
    );
    expect(err.message).toBe("DescribeSnapshots: shop: RequestLimitExceeded: Request limit exceeded.");
    expect(err.retryable).toBe(true);
  });

  it("keeps an AwsError as it is", async () => {
    const inner = new AwsError("DescribeVolumes", "vol-1: X: y", { code: "X" });
    await expect(awsCall("Outer", {}, () => Promise.reject(inner))).rejects.toBe(inner);
    expect(toAwsError("Outer", inner)).toBe(inner);
  });
});

describe("awsCode", () => {
  it.each([
    [
      "an AwsError",
      new AwsError("Op", "m", { code: "InvalidSnapshot.NotFound" }),
      "InvalidSnapshot.NotFound",
    ],
    ["an SDK exception", ec2Error("IncorrectState", "m"), "IncorrectState"],
    ["a plain Error", new Error("m"), ""],
    ["undefined", undefined, ""],
  ])("of %s", (_what, err, code) => {
    expect(awsCode(err)).toBe(code);
  });
});
