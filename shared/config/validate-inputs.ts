// Reads and checks everything a deploy needs, without calling AWS: the environment files (merged in
// order), the model (with the environment's vars) and the project name. Every issue of every file
// is returned, files in the order given, each top to bottom.
import type { ConfigIssue } from "../errors.js";
import { checkDeployInputs } from "./deploy-checks.js";
import { loadEnvironment, isEnvelope, type Environment } from "./environment.js";
import { hasErrors, sortIssues } from "./issues.js";
import { readSource, type Source } from "./load.js";
import { loadModel, type LoadedModel } from "./model.js";
import { isMapping } from "./path.js";

export interface ValidateRequest {
  envFiles: readonly string[];
  modelFile?: string;
  project?: string;
}

export interface Validated {
  issues: ConfigIssue[];
  environment?: Environment;
  model?: LoadedModel;
}

export async function validateInputs(request: ValidateRequest): Promise<Validated> {
  const issues: ConfigIssue[] = [];
  const sources: Source[] = [];
  for (const file of request.envFiles) {
    const loaded = await readSource(file);
    issues.push(...loaded.issues);
    if (loaded.source) sources.push(loaded.source);
  }
  const envLoaded = sources.length === request.envFiles.length ? loadEnvironment(sources) : undefined;
  issues.push(...(envLoaded?.issues ?? []));
  const environment = envLoaded?.environment;

  let model: LoadedModel | undefined;
  if (request.modelFile !== undefined) {
    const loaded = await readSource(request.modelFile);
    issues.push(...loaded.issues);
    if (loaded.source) {
      // Even when the environment is invalid, its vars still let the model be checked on its own.
      const result = loadModel(loaded.source, environment?.vars ?? rawVars(sources));
      issues.push(...result.issues);
      model = result.model;
    }
  }
  if (environment && (request.modelFile === undefined || model)) {
    issues.push(...checkDeployInputs({ environment, model, project: request.project }));
  }
  const order = [...request.envFiles, ...(request.modelFile === undefined ? [] : [request.modelFile])];
  const sorted = sortIssues(issues, order);
  return hasErrors(sorted) ? { issues: sorted } : { issues: sorted, environment, model };
}

function rawVars(sources: readonly Source[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const source of sources) {
    const own = isEnvelope(source.data) ? source.data.vars : undefined;
    if (!isMapping(own)) continue;
    for (const [name, value] of Object.entries(own)) {
      if (["string", "number", "boolean"].includes(typeof value)) vars[name] = String(value);
    }
  }
  return vars;
}
