// Where the release server's configuration lives by default, apart from its schema so a command line
// can name it without loading the schema.
export const defaultServerConfigPath = "/etc/asg-release/server.yaml";
