package io.dcgan4j.engine.gan;

/**
 * The losses of one train step, as the seed's {@code train_step} returns them, and D's mean verdicts.
 *
 * @param discriminatorLoss BCE(1, D(real)) + BCE(0, D(G(z))), each averaged over its own batch
 * @param generatorLoss     BCE(1, D(G(z))) through the updated discriminator
 * @param realScore         mean D(x) = sigmoid(logit) over the real batch, before D's update
 * @param fakeScore         mean D(G(z)) over the fake batch, before D's update
 */
public record StepResult(float discriminatorLoss, float generatorLoss, float realScore, float fakeScore) {
}
