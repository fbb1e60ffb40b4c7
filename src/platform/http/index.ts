export { createHttpApp, problemResponses, sendProblem, serveWebApp, type HttpApp, type HttpAppOptions } from './app';
export { Problem, PROBLEM_TYPES, ProblemSchema, type FieldError, type ProblemBody } from './problem';
