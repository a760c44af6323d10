package io.spillway.server.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies every property's tries by the system property {@value #SCALE_PROPERTY} (default 1), so that CI runs
 * each fuzz property for the few seconds its {@code tries} allow and a longer run is one flag away:
 * {@code mvn -B -pl server -am verify -Dtest='*Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false -Dspillway.fuzz.scale=100}.
 * Register with {@code @AddLifecycleHook(ScaledTries.class)} on the property's class.
 */
public final class ScaledTries implements AroundPropertyHook {

  /** The system property giving the multiplier. */
  public static final String SCALE_PROPERTY = "spillway.fuzz.scale";

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    int scale = Integer.getInteger(SCALE_PROPERTY, 1);
    if (scale < 1) {
      throw new IllegalArgumentException(SCALE_PROPERTY + " must be at least 1, was " + scale);
    }
    context
        .attributes()
        .tries()
        .ifPresent(tries ->
            context.attributes().setTries((int) Math.min(Integer.MAX_VALUE, (long) tries * scale)));
    return property.execute();
  }

  /** Reaches every property of the annotated class. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  /** Runs outside every other hook, so that the tries are set before the property starts. */
  @Override
  public int aroundPropertyProximity() {
    return -100;
  }
}
