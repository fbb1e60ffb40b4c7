export * from './credit-code';
export * from './resident-id';
