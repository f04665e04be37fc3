// The environment, the model and the project checked together: launch settings per component,
// naming within AWS limits, names the two files share.
import { yaml, type CorpusCase } from "./runner.js";

const twoComponents = yaml`
  doctype: com.datagridsys.doctype/skopos/model
  version: 1
  components:
    back: { image: myregistry/back:1.0 }
    front: { image: myregistry/front:1.1 }
  gateways:
    app: { type: load_balancer, target: front }
`;

const deploy = (
  name: string,
  envText: string,
  modelText: string,
  lines: string[],
  project?: string,
): CorpusCase => ({
  name,
  files: { "env.yaml": envText, "model.yaml": modelText },
  env: ["env.yaml"],
  model: "model.yaml",
  project,
  lines,
});

export const crossCases: CorpusCase[] = [
  deploy(
    "a complete deploy: environment, model and project",
    yaml`
      vpc: my-vpc
      launch_config: { ami: ami-4d795c5a, type: t2.nano, user_data: "docker run {{image_id}}" }
      image_id_subst: "{{image_id}}"
      lb: { app: myapp-lb }
    `,
    twoComponents,
    [],
    "shop",
  ),
  deploy(
    "a naming template without {comp} names only a component called main",
    yaml`
      vpc: my-vpc
      naming_template: "{prj}-{slot}"
      launch_config: { template: base }
      image_id_subst: x
      lb: { app: myapp-lb }
    `,
    twoComponents,
    [
      'model.yaml:4:3: components.back: naming_template "{prj}-{slot}" has no {comp}: the only component it can name is "main"',
      'model.yaml:5:3: components.front: naming_template "{prj}-{slot}" has no {comp}: the only component it can name is "main"',
    ],
  ),
  deploy(
    "a naming template without {comp} and a single component called main",
    yaml`
      vpc: my-vpc
      naming_template: "{prj}-{slot}"
      launch_config: { template: base }
    `,
    "doctype: com.datagridsys.doctype/skopos/model\nversion: 1\ncomponents:\n  main: { image: app:1 }\n",
    [],
    "shop",
  ),
  deploy(
    "a project whose launch template names would be too long",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      lb: { app: myapp-lb }
    `,
    twoComponents,
    [
      `model.yaml:4:3: components.back: the launch template name "${"p".repeat(125)}.back_A" would be 132 characters; the limit is 128`,
      `model.yaml:5:3: components.front: the launch template name "${"p".repeat(125)}.front_A" would be 133 characters; the limit is 128`,
    ],
    "p".repeat(125),
  ),
  deploy(
    "a component without an AMI or instance type and no template",
    yaml`
      vpc: my-vpc
      launch_config:
        sg: [sg-1]
      components:
        front:
          launch_config: { ami: ami-4d795c5a }
      image_id_subst: x
      lb: { app: myapp-lb }
    `,
    twoComponents,
    [
      'env.yaml:3:3: launch_config.ami: missing for component "back", expected an AMI id (in launch_config or components.back.launch_config, unless a template is named)',
      'env.yaml:3:3: launch_config.type: missing for component "back", expected an instance type (in launch_config or components.back.launch_config, unless a template is named)',
      'env.yaml:6:20: components.front.launch_config.type: missing for component "front", expected an instance type (in launch_config or components.front.launch_config, unless a template is named)',
    ],
  ),
  deploy(
    "without a model, the global launch_config alone must be complete",
    yaml`
      vpc: my-vpc
      launch_config: { type: t3.micro }
      image_id_subst: x
    `,
    "doctype: com.datagridsys.doctype/skopos/model\nversion: 1\ncomponents:\n  main: { image: app:1 }\n",
    [
      'env.yaml:2:16: launch_config.ami: missing for component "main", expected an AMI id (in launch_config or components.main.launch_config, unless a template is named)',
    ],
  ),
  {
    name: "without a model: an incomplete global launch_config",
    files: { "env.yaml": "vpc: my-vpc\nlaunch_config: { type: t3.micro }\nimage_id_subst: x\n" },
    env: ["env.yaml"],
    lines: [
      "env.yaml:2:16: launch_config.ami: missing, expected an AMI id (required unless launch_config.template names an existing launch template)",
    ],
  },
  deploy(
    "neither image_id_subst nor image_id_path: components would share one launch configuration",
    yaml`
      vpc: my-vpc
      launch_config: { template: base, user_data: "#!/bin/sh\ndocker run app" }
      lb: { app: myapp-lb }
    `,
    twoComponents,
    [
      "env.yaml:2:1: warning: launch_config: user_data is used unchanged (neither image_id_subst nor image_id_path is set), so components back, front get identical launch configurations",
    ],
  ),
  deploy(
    "neither setting, but every component has its own launch_config",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      components:
        back: { launch_config: { user_data: "docker run back" } }
        front: { launch_config: { user_data: "docker run front" } }
      lb: { app: myapp-lb }
    `,
    twoComponents,
    [],
  ),
  {
    name: "without a model: neither setting and no per-component launch_config",
    files: { "env.yaml": "vpc: my-vpc\nlaunch_config: { template: base }\n" },
    env: ["env.yaml"],
    lines: [
      "env.yaml:2:1: warning: launch_config: user_data is used unchanged (neither image_id_subst nor image_id_path is set) and no component has its own launch_config",
    ],
  },
  deploy(
    "names the model does not know: components, delegated destroy, load balancers",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      components:
        worker: { tags: { role: worker } }
      delegated_destroy:
        uri: http://destroyer:8080/terminate
        components: [back, worker]
      lb: { web: myapp-lb }
    `,
    twoComponents,
    [
      "env.yaml:5:3: warning: components.worker: not a component of the model; ignored",
      'env.yaml:8:22: warning: delegated_destroy.components[1]: "worker" is not a component of the model',
      'model.yaml:7:3: warning: gateways.app: no lb entry named "app" in the environment: front will not be attached to a load balancer',
    ],
  ),
  deploy(
    "limited-permissions mode checks group names against the plugin's fixed format",
    "lb: { app: myapp-lb }\n",
    twoComponents,
    [],
    "staging",
  ),
];
