package io.kroute.retrain;

import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.TrustedKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router a retrainer's channel serves now, read back from {@code router-models} at start: after a restart (or
 * a rollback, or a router published by hand) candidates are compared with what the router-streams serve, not with the
 * router the config named for the very first start. With a signing key, only a record this retrainer's key signed is
 * taken (as a router-stream trusting it would); a record that cannot be read or unpacked is skipped with a warning.
 */
final class ChannelInService {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelInService.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ChannelInService() {}

    /** The newest version of the channel, unpacked under {@code workDir/in-service}; empty when there is none. */
    static Optional<Path> read(RetrainerConfig config) {
        String channel = config.settings().channel();
        TrustedKeys trusted =
                config.signer() == null ? TrustedKeys.NONE : config.signer().trusted();
        RouterModel newest;
        try {
            newest = RouterPublisher.newest(config.connection(), config.topics(), channel, TIMEOUT, model -> {
                        if (!channel.equals(model.channel())) {
                            throw new InvalidMessageException("it names channel '" + model.channel() + "'");
                        }
                        trusted.verify(model);
                    })
                    .orElse(null);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.warn(
                    "{} not read within {} s: comparing with {}",
                    config.topics().routerModels().name(),
                    TIMEOUT.toSeconds(),
                    config.servingRouter());
            return Optional.empty();
        }
        if (newest == null) {
            return Optional.empty();
        }
        Path workDir = config.settings().workDir();
        Path dir;
        try {
            dir = newest.materialize(
                    workDir.resolve("in-service").resolve(newest.version().replaceAll("[^A-Za-z0-9._-]", "_")),
                    workDir.resolve("candidates"));
        } catch (RuntimeException e) {
            LOG.warn(
                    "channel {}: version {} cannot be unpacked ({}); comparing with {} instead",
                    channel,
                    newest.version(),
                    e.getMessage(),
                    config.servingRouter());
            return Optional.empty();
        }
        LOG.info(
                "channel {} serves {} version {}: candidates are compared with it",
                channel,
                newest.kind(),
                newest.version());
        return Optional.of(dir);
    }
}
