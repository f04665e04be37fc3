// Several environment files merged in order (later ones win, mappings merge key by key): every issue
// still points at the file and line that wrote the offending value.
import { yaml, type CorpusCase } from "./runner.js";

const base = yaml`
  core_plugin: ec2-asg
  vars:
    TAG: "1.0"
  plugin_config:
    ec2-asg:
      vpc: my-vpc
      launch_config:
        ami: ami-4d795c5a
        type: t2.nano
      image_id_subst: "{{image_id}}"
      lb:
        app: myapp-staging-lb
        aux: myapp-aux-lb
`;

export const mergeCases: CorpusCase[] = [
  {
    name: "an override file changes one setting and removes a load balancer with null",
    files: {
      "base.yaml": base,
      "prod.yaml": yaml`
        launch_config:
          type: m5.large
        lb:
          aux: null
      `,
    },
    env: ["base.yaml", "prod.yaml"],
    lines: [],
  },
  {
    name: "a problem in the override points at the override",
    files: {
      "base.yaml": base,
      "prod.yaml": yaml`
        launch_config:
          type: 5
          sg: sg-1
      `,
    },
    env: ["base.yaml", "prod.yaml"],
    lines: [
      "prod.yaml:2:9: launch_config.type: expected a string, got a number",
      "prod.yaml:3:7: launch_config.sg: expected a list, got a string",
    ],
  },
  {
    name: "a problem in the base still points at the base after the merge",
    files: {
      "base.yaml": base.replace("type: t2.nano", "tpye: t2.nano"),
      "prod.yaml": "launch_config:\n  ami: ami-0123456789abcdef0\n",
    },
    env: ["base.yaml", "prod.yaml"],
    lines: ['base.yaml:9:7: plugin_config.ec2-asg.launch_config.tpye: unknown key; did you mean "type"?'],
  },
  {
    name: "a later file fixes what an earlier one got wrong",
    files: {
      "base.yaml": base.replace("ami: ami-4d795c5a", "ami: wrong"),
      "fix.yaml": "plugin_config:\n  ec2-asg:\n    launch_config:\n      ami: ami-4d795c5a\n",
    },
    env: ["base.yaml", "fix.yaml"],
    lines: [],
  },
  {
    name: "vars from one file, the record from another",
    files: {
      "vars.yaml": "vars:\n  REGION: us-west-2\n",
      "record.yaml": "lb:\n  app: my-lb\n",
      "model.yaml": yaml`
        doctype: com.datagridsys.doctype/skopos/model
        version: 1
        components:
          main:
            image: "registry.\${REGION}.example.com/app:1"
      `,
    },
    env: ["vars.yaml", "record.yaml"],
    model: "model.yaml",
    lines: [],
  },
  {
    name: "a missing key is reported in the last file that wrote the enclosing mapping",
    files: {
      "a.yaml": "subnets: [subnet-1]\n",
      "b.yaml": "# overrides\njoin_timeout: 600\n",
    },
    env: ["a.yaml", "b.yaml"],
    lines: [
      "b.yaml:2:1: launch_config: missing, expected a mapping (required unless the record holds only lb, which selects limited-permissions mode)",
      "b.yaml:2:1: vpc: missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
    ],
  },
  {
    name: "a syntax error in one file does not hide the others' problems",
    files: {
      "a.yaml": "vpc: [unclosed\n",
      "model.yaml":
        "doctype: com.datagridsys.doctype/skopos/model\nversion: 1\ncomponents:\n  web: {image: Web}\n",
    },
    env: ["a.yaml"],
    model: "model.yaml",
    lines: [
      "a.yaml:2:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]",
      'model.yaml:4:16: components.web.image: expected a Docker image reference, got "Web": repository name "Web" must be lowercase',
    ],
  },
];
