// The one client factory: S3 follows a bucket to its own region (a user_data object or release
// pointer in another region than the deploy's), and uses path-style addressing only with an
// explicit endpoint (the local region), virtual-hosted style against AWS.
import { describe, expect, it } from "vitest";
import { createAwsClients } from "#shared/aws/clients.js";

describe("createAwsClients", () => {
  it("makes an S3 client that follows region redirects", () => {
    const aws = createAwsClients({ region: "us-east-1" });
    try {
      expect(aws.s3.config.followRegionRedirects).toBe(true);
      expect(aws.s3.config.forcePathStyle).toBe(false);
    } finally {
      aws.destroy();
    }
  });

  it("uses path-style addressing with an explicit endpoint", () => {
    const aws = createAwsClients({ region: "us-east-1", endpoint: "http://127.0.0.1:4566" });
    try {
      expect(aws.s3.config.forcePathStyle).toBe(true);
      expect(aws.s3.config.followRegionRedirects).toBe(true);
    } finally {
      aws.destroy();
    }
  });
});
