export { createHttpApp, problemResponses, sendProblem, serveWebApp, toProblem, type HttpApp, type HttpAppOptions } from './app';
export { Problem, PROBLEM_TYPES, type FieldError } from './problem';
export { ProblemSchema, type ProblemBody } from './problem-schema';
export { requestLang } from './lang';
