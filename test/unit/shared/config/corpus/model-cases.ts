// The application model (Skopos model format), with `${var}` substitution from the environment.
import { yaml, type CorpusCase } from "./runner.js";

const envWithVars = yaml`
  vars:
    TAG: "1.0"
    REPLICAS: 3
    EMPTY: ""
  plugin_config:
    ec2-asg:
      lb: { app: myapp-staging-lb }
`;

const model = (name: string, text: string, lines: string[]): CorpusCase => ({
  name,
  files: { "env.yaml": envWithVars, "model.yaml": text },
  env: ["env.yaml"],
  model: "model.yaml",
  lines,
});

export const modelCases: CorpusCase[] = [
  model(
    "the two-tier sample model",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        back:
          image: myregistry/back:1.0
          replicas: 2
          visual: { x: 720, y: 280 }
        front:
          image: myregistry/front:1.1
          replicas: 2
          singleton: false
          args: ["--port", "8000"]
          plugin: ec2-asg
          lifecycle: { post_create: [] }
      gateways:
        app:
          type: load_balancer
          target: [front]
          exposes:
            name: http
            port: "80"
            target_port: 8000
    `,
    [],
  ),
  model(
    "the plugin's older component keys",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        back:
          class: backend
          image: opsani/sample-back:v1
          pos_x: 720
          pos_y: 280
          replicas: 2
          version: '1.0'
    `,
    [],
  ),
  model(
    "variables with and without defaults, and an unquoted number",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        back:
          image: "myregistry/back:\${TAG}"
          replicas: \${REPLICAS}
        front:
          image: myregistry/front:\${FRONT_TAG-1.1}
          replicas: \${MISSING:-2}
        worker:
          image: myregistry/worker:\${EMPTY:-latest}
    `,
    [],
  ),
  model(
    "an undefined variable, an unterminated reference, a bad name",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        back:
          image: myregistry/back:\${BACK_TAG}
        front:
          image: "myregistry/front:\${TAG"
        worker:
          image: myregistry/worker:\${1TAG}
    `,
    [
      'model.yaml:5:28: components.back.image: undefined variable "BACK_TAG": define it under vars in an environment file, or write ${BACK_TAG-default}',
      'model.yaml:7:30: components.front.image: unterminated variable reference: "${" without a closing "}"',
      'model.yaml:9:30: components.worker.image: invalid variable reference "${1TAG}": names are letters, digits and "_", not starting with a digit',
    ],
  ),
  model(
    "the header: wrong doctype and version",
    yaml`
      doctype: com.datagridsys.doctype/skopos/env
      version: 2
      components:
        back: { image: myregistry/back:1.0 }
    `,
    [
      'model.yaml:1:10: doctype: expected "com.datagridsys.doctype/skopos/model", got "com.datagridsys.doctype/skopos/env"',
      "model.yaml:2:10: version: expected 1, got 2",
    ],
  ),
  model(
    "missing header and components",
    yaml`
      gateways: {}
    `,
    [
      "model.yaml:1:1: components: missing, expected a mapping",
      'model.yaml:1:1: doctype: missing, expected "com.datagridsys.doctype/skopos/model"',
      "model.yaml:1:1: version: missing, expected 1",
    ],
  ),
  model(
    "no components at all",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components: {}
    `,
    ["model.yaml:3:13: components: expected at least one component, got none"],
  ),
  model(
    "image references: missing, uppercase, bad tag, bad digest",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        a: { replicas: 1 }
        b: { image: MyRegistry/Back:1.0 }
        c: { image: "back:-1" }
        d: { image: "back@sha256:123" }
        e: { image: "" }
    `,
    [
      "model.yaml:4:6: components.a.image: missing, expected a string",
      'model.yaml:5:15: components.b.image: expected a Docker image reference, got "MyRegistry/Back:1.0": repository name "Back" must be lowercase',
      'model.yaml:6:15: components.c.image: expected a Docker image reference, got "back:-1": invalid tag "-1": expected up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
      'model.yaml:7:15: components.d.image: expected a Docker image reference, got "back@sha256:123": invalid digest "sha256:123": expected "sha256:" and 64 hex digits',
      'model.yaml:8:15: components.e.image: expected a Docker image reference, got "": repository name must have at least one component',
    ],
  ),
  model(
    "replicas, singleton and an unknown component key",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        db:
          image: postgres:16
          singleton: true
          replicas: 2
        web:
          image: nginx:1.27
          replica: 3
        job:
          image: busybox
          replicas: -1
        "bad name":
          image: busybox
    `,
    [
      "model.yaml:7:15: components.db.replicas: expected at most 1 for a singleton component, got 2",
      'model.yaml:10:5: components.web.replica: unknown key; did you mean "replicas"?',
      "model.yaml:13:15: components.job.replicas: expected at least 0, got -1",
      'model.yaml:14:3: components["bad name"]: invalid component name: expected letters, digits, "-" and "_", starting with a letter or digit, got "bad name"',
    ],
  ),
  model(
    "attributes the ec2-asg plugin does not map to EC2",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        back:
          image: myregistry/back:1.0
          env: { DB_HOST: db }
          volumes: ["/data:/data"]
          provides: { ports: ["8080", 53/udp] }
          uses: { db: {} }
          labels: { team: web }
    `,
    [
      "model.yaml:6:5: warning: components.back.env: not mapped to EC2 by the ec2-asg plugin; ignored",
      "model.yaml:7:5: warning: components.back.volumes: not mapped to EC2 by the ec2-asg plugin; ignored",
      "model.yaml:8:5: warning: components.back.provides: not mapped to EC2 by the ec2-asg plugin; ignored",
      "model.yaml:9:5: warning: components.back.uses: not mapped to EC2 by the ec2-asg plugin; ignored",
      "model.yaml:10:5: warning: components.back.labels: not mapped to EC2 by the ec2-asg plugin; ignored",
    ],
  ),
  model(
    "gateways: unknown type, unknown target, missing port",
    yaml`
      doctype: com.datagridsys.doctype/skopos/model
      version: 1
      components:
        back: { image: myregistry/back:1.0 }
      gateways:
        app:
          type: loadbalancer
          target: [bakc]
          exposes:
            - name: http
              target_port: 8080
        admin:
          type: host_port
          target: front
          exposes: { port: 99999 }
    `,
    [
      'model.yaml:7:11: gateways.app.type: expected one of "load_balancer" or "host_port", got "loadbalancer"; did you mean "load_balancer"?',
      'model.yaml:8:14: gateways.app.target[0]: unknown component "bakc"; did you mean "back"?',
      'model.yaml:10:9: gateways.app.exposes[0].port: missing, expected a port number or a string like "80/tcp"',
      'model.yaml:14:13: gateways.admin.target: unknown component "front"',
      "model.yaml:15:22: gateways.admin.exposes.port: expected at most 65535, got 99999",
    ],
  ),
  {
    name: "a model given as JSON",
    files: {
      "env.yaml": envWithVars,
      "model.json":
        '{\n  "doctype": "com.datagridsys.doctype/skopos/model",\n  "version": 1,\n  "components": {"back": {"image": "myregistry/back:${TAG}", "replicas": "two"}}\n}\n',
    },
    env: ["env.yaml"],
    model: "model.json",
    lines: ["model.json:4:74: components.back.replicas: expected a number, got a string"],
  },
];
