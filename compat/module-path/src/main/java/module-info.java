/** A loyalty backend as a modular application: it reads the SDK's exported packages only. */
module io.github.zendeskloyalty.compat.modular {
  requires io.github.zendeskloyalty.client;

  exports io.github.zendeskloyalty.compat.modular;
}
