// The Docker image reference grammar of distribution/reference (reference.go, regexp.go), as
// anchored JavaScript regular expressions:
//
//   reference        := name [ ":" tag ] [ "@" digest ]
//   name             := [domain '/'] remote-name
//   domain           := host [':' port-number]
//   host             := domain-name | "[" IPv6address "]"
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//   path-component   := alpha-numeric [separator alpha-numeric]*
//   alpha-numeric    := /[a-z0-9]+/
//   separator        := /[_.]|__|[-]+/
//   tag              := /[\w][\w.-]{0,127}/
//   digest           := algorithm ":" hex   (algorithm components [A-Za-z][A-Za-z0-9]* joined by [-_+.])

const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = "\\[(?:[a-fA-F0-9:]+)\\]";
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";

export const domainPattern = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
export const remoteNamePattern = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
export const tagPattern = /^[\w][\w.-]{0,127}$/;
export const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** A bare image id, which is not a name (distribution: "cannot specify 64-byte hexadecimal strings"). */
export const identifierPattern = /^[a-f0-9]{64}$/;

/** Longest repository path (distribution: RepositoryNameTotalLengthMax). */
export const pathMax = 255;

/** Docker Hub, where familiar names ("ubuntu", "team/app") live. */
export const defaultDomain = "docker.io";
export const legacyDefaultDomain = "index.docker.io";
export const officialRepoPrefix = "library/";
export const defaultTag = "latest";
