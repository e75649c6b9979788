/** zod issues of a small YAML file (exceptions) as ProfileErrors at their file:line:column. */
import type { z } from 'zod';
import { ProfileError, type ErrorContext } from '../../core/errors.js';
import type { YamlFile } from '../../core/yaml-file.js';

export function issuesToErrorsAt(issues: ReadonlyArray<z.core.$ZodIssue>, yaml: YamlFile, ctx: ErrorContext = {}): ProfileError[] {
  return issues.flatMap((issue) => {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((p) => {
      const pos = yaml.positionOf(p);
      const field = p.length ? p.map(String).join('.') : '(top level)';
      const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
      return new ProfileError('invalid', `${field}: ${message}`, { ...ctx, file: yaml.file, line: pos?.line, column: pos?.column });
    });
  });
}
