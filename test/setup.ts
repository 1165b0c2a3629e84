import fc from 'fast-check';

// Property tests run with a fixed seed so that CI is repeatable; FC_SEED=random explores new inputs locally.
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261126);
fc.configureGlobal({ seed });
