// One environment file at a time: the ec2-asg record of docs/spec/deploy.md (bare or inside a Skopos
// environment), every setting's type, default and rule.
import { yaml, type CorpusCase } from "./runner.js";

const env = (name: string, text: string, lines: string[]): CorpusCase => ({
  name,
  files: { "env.yaml": text },
  env: ["env.yaml"],
  lines,
});

export const environmentCases: CorpusCase[] = [
  env(
    "the plugin's example record inside a Skopos environment",
    yaml`
      core_plugin: ec2-asg
      vars:
        TAG: "1.0"
      plugin_config:
        ec2-asg:
          naming_template: "{prj}.{comp}_{side}"
          vpc: my-vpc
          subnets: [ "subnet-1", "subnet-2" ]
          launch_config:
            template: another_launch_config
            ami: ami-4d795c5a
            sg: [ "sg-12345678" ]
            type : t2.nano
            user_data : "#!/bin/sh\n docker run --restart=unless-stopped {{image_id}}"
          image_id_subst: "{{image_id}}"
          components:
            back:
              launch_config:
                type: t2.large
          lb:
            app: "myapp-staging-lb"
        other-plugin:
          anything: [1, 2]
      channels: { anything: goes }
    `,
    [],
  ),
  env(
    "a bare record with the required settings",
    yaml`
      vpc: vpc-0a1b2c3d
      launch_config:
        ami: ami-0123456789abcdef0
        type: t3.micro
      image_id_subst: "{{image_id}}"
    `,
    [],
  ),
  env("limited-permissions mode: only lb", "lb:\n  app: myapp-staging-lb\n", []),
  env("limited-permissions mode: an empty record", "{}\n", []),
  env(
    "limited-permissions mode: ec2-asg set to nothing",
    yaml`
      core_plugin: ec2-asg
      plugin_config:
        ec2-asg:
    `,
    [],
  ),
  env(
    "home_vpc supplies the VPC",
    yaml`
      home_vpc: true
      launch_config: { template: web-base }
      components:
        web:
          launch_config: { user_data: "#!/bin/sh\necho web" }
    `,
    [],
  ),
  {
    name: "the same record as JSON",
    files: {
      "env.json":
        '{\n  "vpc": "my-vpc",\n  "subnets": "private-*",\n  "launch_config": {"template": "web-base"},\n  "image_id_subst": "\\\\{\\\\{image_id\\\\}\\\\}"\n}\n',
    },
    env: ["env.json"],
    lines: [],
  },
  env(
    "load balancer bindings: classic name, target group, null",
    yaml`
      lb:
        app: myapp-staging-lb
        api: { target_group: api-tg, port: 8080 }
        internal: { target_group: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/int/0123456789abcdef", port: 9000 }
        aux: null
    `,
    [],
  ),
  env(
    "anchors and merge keys",
    yaml`
      vpc: my-vpc
      base: &base { ami: ami-4d795c5a, type: t2.nano }
      launch_config:
        <<: *base
        tpye: t2.large
      image_id_subst: "{{image_id}}"
    `,
    [
      'env.yaml:2:1: base: unknown key; expected one of "region", "vpc", "home_vpc", "subnets", "naming_template", "launch_config", "tags", "components", "image_id_subst", "image_id_path", "image_check_type", "lb", "join_timeout", "inst_running_timeout", "delegated_destroy", "lifecycle_hook", "tag_prefix" or "rollout"',
      'env.yaml:5:3: launch_config.tpye: unknown key; did you mean "type"?',
    ],
  ),
  env(
    "an unknown key with a close match",
    yaml`
      vcp: my-vpc
      launch_config: { template: web-base }
      image_id_subst: x
    `,
    [
      'env.yaml:1:1: vcp: unknown key; did you mean "vpc"?',
      "env.yaml:1:1: vpc: missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
    ],
  ),
  env(
    "an unknown key with no close match lists the keys",
    yaml`
      lb: {}
      colour: blue
    `,
    [
      "env.yaml:1:1: launch_config: missing, expected a mapping (required unless the record holds only lb, which selects limited-permissions mode)",
      "env.yaml:1:1: vpc: missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
      'env.yaml:2:1: colour: unknown key; expected one of "region", "vpc", "home_vpc", "subnets", "naming_template", "launch_config", "tags", "components", "image_id_subst", "image_id_path", "image_check_type", "lb", "join_timeout", "inst_running_timeout", "delegated_destroy", "lifecycle_hook", "tag_prefix" or "rollout"',
    ],
  ),
  env(
    "launch_config: wrong types and an unknown key",
    yaml`
      vpc: my-vpc
      launch_config:
        ami: ami-4d795c5a
        type: 5
        sg: sg-12345678
        key: [a]
        ebs_optimized: "yes"
        public_ip: 1
        useer_data: x
      image_id_subst: x
    `,
    [
      "env.yaml:4:9: launch_config.type: expected a string, got a number",
      "env.yaml:5:7: launch_config.sg: expected a list, got a string",
      "env.yaml:6:8: launch_config.key: expected a string, got a list",
      "env.yaml:7:18: launch_config.ebs_optimized: expected true or false, got a string",
      "env.yaml:8:14: launch_config.public_ip: expected true or false, got a number",
      'env.yaml:9:3: launch_config.useer_data: unknown key; did you mean "user_data"?',
    ],
  ),
  env(
    "launch_config: malformed AMI id, instance type, kind and security group entry",
    yaml`
      vpc: my-vpc
      launch_config:
        kind: templates
        ami: ami-xyz
        type: t2nano
        sg: [sg-1, 7]
      image_id_subst: x
    `,
    [
      'env.yaml:3:9: launch_config.kind: expected one of "template" or "configuration", got "templates"; did you mean "template"?',
      'env.yaml:4:8: launch_config.ami: expected an AMI id like "ami-0123456789abcdef0", got "ami-xyz"',
      'env.yaml:5:9: launch_config.type: expected an instance type like "t3.micro", got "t2nano"',
      "env.yaml:6:14: launch_config.sg[1]: expected a string, got a number",
    ],
  ),
  env(
    "user_data: an S3 location without a key, and a number",
    yaml`
      vpc: my-vpc
      launch_config:
        template: base
        user_data: { s3: my-bucket }
      components:
        web:
          launch_config: { user_data: 42 }
      image_id_subst: x
    `,
    [
      'env.yaml:4:20: launch_config.user_data.s3: expected an S3 location "bucket/key", got "my-bucket"',
      'env.yaml:7:33: components.web.launch_config.user_data: expected user_data text or {s3: "bucket/key"}, got a number',
    ],
  ),
  env(
    "vpc and launch_config are required outside limited-permissions mode",
    yaml`
      subnets: "*"
      lb: { app: my-lb }
    `,
    [
      "env.yaml:1:1: launch_config: missing, expected a mapping (required unless the record holds only lb, which selects limited-permissions mode)",
      "env.yaml:1:1: vpc: missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
    ],
  ),
  env(
    "home_vpc, region, subnets and timeouts of the wrong kind",
    yaml`
      vpc: my-vpc
      home_vpc: "yes"
      region: US East
      subnets: []
      launch_config: { template: base }
      join_timeout: 0
      inst_running_timeout: "50"
      image_id_subst: x
    `,
    [
      "env.yaml:2:11: home_vpc: expected true or false, got a string",
      'env.yaml:3:9: region: expected an AWS region like "us-east-1", got "US East"',
      "env.yaml:4:10: subnets: expected at least one item, got an empty list",
      "env.yaml:6:15: join_timeout: expected at least 1, got 0",
      "env.yaml:7:23: inst_running_timeout: expected a number, got a string",
    ],
  ),
  env(
    "subnets of neither form",
    yaml`
      vpc: my-vpc
      subnets: 3
      launch_config: { template: base }
      image_id_subst: x
    `,
    [
      'env.yaml:2:10: subnets: expected a list of subnet names or ids, or a wildcard pattern string like "*", got a number',
    ],
  ),
  env(
    "naming_template: unknown placeholder and unmatched brace",
    yaml`
      naming_template: "{prj}.{version}_{slot"
      lb: {}
    `,
    [
      "env.yaml:1:1: launch_config: missing, expected a mapping (required unless the record holds only lb, which selects limited-permissions mode)",
      "env.yaml:1:1: vpc: missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
      "env.yaml:1:18: naming_template: unknown placeholder {version}; the placeholders are {prj}, {comp} (or {name}) and {slot} (or {side})",
      'env.yaml:1:18: naming_template: unmatched "{" at character 17',
    ],
  ),
  env(
    "naming_template: a placeholder twice, two placeholders touching, no {prj}",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      components:
        a: { launch_config: { naming_template: x } }
      naming_template: "{comp}{slot}.{name}"
    `,
    [
      'env.yaml:5:25: components.a.launch_config.naming_template: unknown key; expected one of "kind", "template", "ami", "sg", "type", "profile", "user_data", "ebs_optimized", "public_ip" or "key"',
      "env.yaml:6:18: naming_template: {comp} appears 2 times (as {comp}, {name}); each placeholder may appear only once",
      "env.yaml:6:18: naming_template: {comp} and {slot} need at least one character between them",
      "env.yaml:6:18: naming_template: must contain {prj}",
    ],
  ),
  env(
    "naming_template: characters launch template names cannot hold",
    yaml`
      vpc: my-vpc
      naming_template: "{prj} {comp}:{slot}"
      launch_config: { template: base }
      image_id_subst: x
    `,
    [
      'env.yaml:2:18: naming_template: launch template names allow only letters, digits and ( ) . - / _, but the template has " ", ":"',
    ],
  ),
  env(
    "naming_template: the same characters are fine for launch configurations",
    yaml`
      vpc: my-vpc
      naming_template: "{prj} {comp}:{slot}"
      launch_config: { kind: configuration, template: base }
      image_id_subst: x
    `,
    [],
  ),
  env(
    "tags: reserved prefixes, values that are not strings",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      tag_prefix: "acme:"
      tags:
        team: web
        skopos:image_id: x
        acme:release: y
        aws:cloudformation: z
        cost-centre: 42
      components:
        web:
          tags: { "skopos:comp_name": web }
    `,
    [
      'env.yaml:7:3: tags.skopos:image_id: reserved tag key: keys starting with "skopos:" are set by asg-release',
      'env.yaml:8:3: tags.acme:release: reserved tag key: keys starting with "acme:" are set by asg-release',
      'env.yaml:9:3: tags.aws:cloudformation: reserved tag key: keys starting with "aws:" are reserved by AWS',
      "env.yaml:10:16: tags.cost-centre: expected a string, got a number",
      'env.yaml:13:13: components.web.tags.skopos:comp_name: reserved tag key: keys starting with "skopos:" are set by asg-release',
    ],
  ),
  env(
    "components: unknown keys, bad names, wrong shapes",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      components:
        web:
          launch_cfg: { type: t3.large }
        "my app":
          subnets: [subnet-9]
        worker: t3.small
    `,
    [
      'env.yaml:6:5: components.web.launch_cfg: unknown key; did you mean "launch_config"?',
      'env.yaml:7:3: components["my app"]: invalid component name: expected letters, digits, "-" and "_", starting with a letter or digit, got "my app"',
      "env.yaml:9:11: components.worker: expected a mapping, got a string",
    ],
  ),
  env(
    "image_id_subst and image_id_path together",
    yaml`
      vpc: my-vpc
      launch_config: { template: base, user_data: "a: b" }
      image_id_subst: "{{image_id}}"
      image_id_path: asg.image
    `,
    ["env.yaml:4:1: image_id_path: image_id_subst and image_id_path are mutually exclusive; set only one"],
  ),
  env(
    "image_id_subst that JavaScript cannot express",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: "(?i:image)(?>x)"
    `,
    [
      "env.yaml:3:17: image_id_subst: scoped inline flags at character 1 have no JavaScript equivalent; put global flags like (?i) at the start",
      "env.yaml:3:17: image_id_subst: atomic group (?>...) at character 11 has no JavaScript equivalent",
    ],
  ),
  env(
    "image_id_path needs YAML mapping user_data",
    yaml`
      vpc: my-vpc
      image_id_path: asg.image
      launch_config:
        template: base
        user_data: "#!/bin/sh\ndocker run IMAGE"
      components:
        web:
          launch_config:
            user_data: |
              #cloud-config
              asg: keep-me
        api:
          launch_config:
            user_data: { s3: my-bucket/api.yaml }
    `,
    [
      "env.yaml:5:14: launch_config.user_data: expected a YAML mapping for image_id_path, got a string",
      'env.yaml:9:18: components.web.launch_config.user_data: image_id_path "asg.image": asg is a string, not a mapping',
    ],
  ),
  env(
    "image_id_path as a key path into cloud-config user_data",
    yaml`
      vpc: my-vpc
      image_id_path: write_files.0.content
      launch_config:
        template: base
        user_data: |
          #cloud-config
          write_files:
            - path: /etc/asg-release/image
              content: placeholder
    `,
    [],
  ),
  env(
    "image_check_type and lifecycle_hook values outside their sets",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      image_check_type: dockr
      lifecycle_hook:
        default_result: continue
        heartbeat_timeout: 10000
        name: "launch hook"
    `,
    [
      'env.yaml:4:19: image_check_type: expected one of "docker" or "none", got "dockr"; did you mean "docker"?',
      'env.yaml:6:19: lifecycle_hook.default_result: expected one of "CONTINUE" or "ABANDON", got "continue"; did you mean "CONTINUE"?',
      "env.yaml:7:22: lifecycle_hook.heartbeat_timeout: expected at most 7200, got 10000",
      'env.yaml:8:9: lifecycle_hook.name: expected a hook name of letters, digits, -, _ and /, got "launch hook"',
    ],
  ),
  env(
    "lb: entries of the wrong form",
    yaml`
      lb:
        app: 5
        api: { target_group: api-tg }
        web: { target_group: web-tg, port: 70000 }
        old: { targetgroup: old-tg, port: 80 }
        bad: "my_lb"
    `,
    [
      "env.yaml:2:8: lb.app: expected a classic load balancer name, {target_group, port} or null, got a number",
      "env.yaml:3:8: lb.api.port: missing, expected a number",
      "env.yaml:4:38: lb.web.port: expected at most 65535, got 70000",
      "env.yaml:5:8: lb.old.target_group: missing, expected a string",
      'env.yaml:5:10: lb.old.targetgroup: unknown key; did you mean "target_group"?',
      'env.yaml:6:8: lb.bad: expected a classic load balancer name (1-32 letters, digits and hyphens), got "my_lb"',
    ],
  ),
  env(
    "delegated_destroy: components without a uri",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      delegated_destroy:
        components: [ backend ]
        user_data: { anything: [1, 2] }
    `,
    [
      "env.yaml:5:3: delegated_destroy.uri: missing, expected an http(s) URL (required when delegated_destroy.components is not empty)",
    ],
  ),
  env(
    "delegated_destroy: a uri that is not http",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      delegated_destroy:
        uri: "ftp://handler/terminate"
        components: [ backend ]
    `,
    ['env.yaml:5:8: delegated_destroy.uri: expected an http(s) URL, got "ftp://handler/terminate"'],
  ),
  env(
    "delegated_destroy: off when components is empty, the rest ignored with a warning",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      delegated_destroy:
        uri: "not even a url"
        components: []
    `,
    [
      "env.yaml:4:1: warning: delegated_destroy: delegated destroy is off because components is empty; uri and user_data are ignored",
    ],
  ),
  env(
    "rollout and tag_prefix out of range",
    yaml`
      vpc: my-vpc
      launch_config: { template: base }
      image_id_subst: x
      tag_prefix: "aws:x"
      rollout:
        batch_size: some
        min_healthy_percent: 150
        bake_time: -1
    `,
    [
      'env.yaml:4:13: tag_prefix: expected a tag key prefix like "skopos:" (not "aws:"), got "aws:x"',
      'env.yaml:6:15: rollout.batch_size: expected a number of instances, a percentage like "25%", or "all", got "some"',
      "env.yaml:7:24: rollout.min_healthy_percent: expected at most 100, got 150",
      "env.yaml:8:14: rollout.bake_time: expected at least 0, got -1",
    ],
  ),
  env(
    "vars: names and values",
    yaml`
      vars:
        TAG: v1
        COUNT: 3
        1ST: x
        LIST: [a]
      plugin_config:
        ec2-asg:
          lb: {}
    `,
    [
      'env.yaml:4:3: vars.1ST: invalid variable name: expected letters, digits and "_", not starting with a digit',
      "env.yaml:5:9: vars.LIST: expected a string, number or boolean, got a list",
    ],
  ),
  env(
    "envelope: a misspelt plugin name and a setting outside plugin_config",
    yaml`
      core_plugin: ec2-asg
      vpc: my-vpc
      plugin_config:
        ec2_asg:
          vpc: my-vpc
    `,
    [
      "env.yaml:2:1: warning: vpc: ignored: ec2-asg settings belong under plugin_config.ec2-asg in an environment file",
      'env.yaml:4:3: plugin_config.ec2_asg: unknown plugin; did you mean "ec2-asg"?',
      "env.yaml:4:3: warning: plugin_config.ec2-asg: not set: the ec2-asg plugin runs in limited-permissions mode over pre-created groups",
    ],
  ),
  env(
    "envelope: plugin_config that is not a mapping",
    yaml`
      core_plugin: ec2-asg
      plugin_config: [ec2-asg]
    `,
    ["env.yaml:2:16: plugin_config: expected a mapping, got a list"],
  ),
];
