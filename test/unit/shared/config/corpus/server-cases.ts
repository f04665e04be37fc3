// The release server's configuration file.
import { yaml, type CorpusCase } from "./runner.js";

const server = (name: string, text: string, lines: string[]): CorpusCase => ({
  name,
  files: { "server.yaml": text },
  server: "server.yaml",
  lines,
});

export const serverCases: CorpusCase[] = [
  server(
    "a minimal server config",
    yaml`
      project: shop
      source: /srv/shop
      targets: { tags: { "asg-release:project": shop } }
      ssh: { key: /etc/asg-release/id_ed25519, known_hosts: /etc/asg-release/known_hosts }
    `,
    [],
  ),
  server(
    "no targets: the groups the deploy path made for the project",
    yaml`
      project: shop
      source: /srv/shop
      ssh: { key: /etc/asg-release/id_ed25519, known_hosts: /etc/asg-release/known_hosts }
    `,
    [],
  ),
  server(
    "targets that turn the project's groups off and name none",
    yaml`
      project: shop
      source: /srv/shop
      targets: { from_project: false }
      ssh: { key: /k, known_hosts: /kh }
    `,
    [
      "server.yaml:3:10: targets: expected asg_names, tags or from_project: true to select at least one Auto Scaling group, got none",
    ],
  ),
  server(
    "every setting",
    yaml`
      project: shop
      source: /srv/shop
      release: { mount_path: /release, device: /dev/xvdf, size: 20, label: shop-release, snapshot_timeout: 7200, instance_path: /srv/release }
      watch: { ignore: [.git/, node_modules/, "*.tmp"], debounce_ms: 250 }
      targets: { asg_names: [shop.web_A, shop.web_B] }
      ssh: { user: deploy, port: 2222, key: /etc/asg-release/id_ed25519, known_hosts: /etc/asg-release/known_hosts }
      fanout: { concurrency: 32, instance_timeout: 60, reconcile_deadline: 900, unreachable_attempts: 5, unreachable_after: 30, reconcile_every: 120 }
      retention: 10
      housekeeping_every: 3600
      listen: { address: 0.0.0.0, port: 8700 }
      token_file: /etc/asg-release/token
      pointer_s3: { bucket: my-releases, key: shop/release.json }
    `,
    [],
  ),
  server("required settings missing", "retention: 3\n", [
    "server.yaml:1:1: project: missing, expected a string",
    "server.yaml:1:1: source: missing, expected a string",
    "server.yaml:1:1: ssh: missing, expected a mapping",
  ]),
  server(
    "no Auto Scaling group selected, and wrong types",
    yaml`
      project: shop
      source: srv/shop
      targets: { asg_names: [] }
      ssh: { key: /k, known_hosts: /kh, user: 0 }
      fanout: { concurency: 8 }
      retention: 0
    `,
    [
      'server.yaml:2:9: source: expected an absolute path like "/release", got "srv/shop"',
      "server.yaml:3:10: targets: expected asg_names, tags or from_project: true to select at least one Auto Scaling group, got none",
      "server.yaml:4:41: ssh.user: expected a string, got a number",
      'server.yaml:5:11: fanout.concurency: unknown key; did you mean "concurrency"?',
      "server.yaml:6:12: retention: expected at least 1, got 0",
    ],
  ),
  server(
    "an API on a public address needs a token file",
    yaml`
      project: shop
      source: /srv/shop
      targets: { tags: { team: web } }
      ssh: { key: /k, known_hosts: /kh }
      listen: { address: 10.0.0.5 }
    `,
    [
      'server.yaml:1:1: token_file: missing, expected a path (required when listen.address is "10.0.0.5", not loopback)',
    ],
  ),
  server(
    "the release mount inside the watched tree",
    yaml`
      project: shop
      source: /srv/shop
      release: { mount_path: /srv/shop/release }
      targets: { tags: { team: web } }
      ssh: { key: /k, known_hosts: /kh }
      pointer_s3: { bucket: My_Bucket, key: "" }
    `,
    [
      "server.yaml:3:24: release.mount_path: must not be inside source, nor contain it",
      'server.yaml:6:23: pointer_s3.bucket: expected an S3 bucket name, got "My_Bucket"',
      'server.yaml:6:39: pointer_s3.key: expected a non-empty string, got ""',
    ],
  ),
  server(
    "release volume, fan-out and schedule settings out of range",
    yaml`
      project: shop
      source: /srv/shop
      release: { label: "code release volume", snapshot_timeout: 0, instance_path: release }
      targets: { tags: { team: web } }
      ssh: { key: /k, known_hosts: /kh }
      fanout:
        unreachable_attempts: 0
        unreachable_after: 1.5
        reconcile_every: "60"
      housekeeping_every: -1
    `,
    [
      'server.yaml:3:19: release.label: expected an ext4 label of 1 to 16 letters, digits, "_", "-" or ".", got "code release volume"',
      "server.yaml:3:60: release.snapshot_timeout: expected at least 1, got 0",
      'server.yaml:3:78: release.instance_path: expected an absolute path like "/release", got "release"',
      "server.yaml:7:25: fanout.unreachable_attempts: expected at least 1, got 0",
      "server.yaml:8:22: fanout.unreachable_after: expected an integer, got 1.5",
      "server.yaml:9:20: fanout.reconcile_every: expected a number, got a string",
      "server.yaml:10:21: housekeeping_every: expected at least 1, got -1",
    ],
  ),
];
