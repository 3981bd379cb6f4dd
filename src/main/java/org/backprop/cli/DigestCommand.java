package org.backprop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.backprop.digest.DigestKeys;
import org.backprop.digest.JournalCheck;
import org.backprop.digest.StoreDigest;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop digest}: one line stating what the store holds, to keep elsewhere and verify against later. */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = {"Prints one line that states what the store holds now: its id, the number of journal entries and events, the",
            "head of its journal's hash chain, and the time. Keep it outside the store (a lab notebook, a commit, a paper):",
            "'backprop verify --against DIGEST' later proves that everything it covered is still there, unchanged.",
            "With --sign, the line carries an Ed25519 signature, so that whoever can rewrite the store cannot make a digest",
            "that verifies without the private key; --new-key makes a key pair."},
        footer = {"", "Examples:",
            "  backprop digest",
            "  backprop digest >> lab-notebook.txt",
            "  backprop digest --new-key lab.key          writes lab.key (private, owner-only) and lab.key.pub",
            "  backprop digest --sign lab.key",
            "  backprop verify --against lab-notebook.txt --key lab.key.pub"})
final class DigestCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--sign", paramLabel = "KEY", description = "Sign the digest with this Ed25519 private key (PEM, as --new-key writes it).")
    Path sign;

    @Option(names = "--new-key", paramLabel = "FILE", description = "Make a new key pair, FILE (private) and FILE.pub, and print nothing else.")
    Path newKey;

    @Override
    public StoreAccess prepare() {
        if (newKey != null && sign != null) {
            throw new BadInputException("--new-key makes a key and --sign uses one: give one of them");
        }
        return newKey != null ? null : StoreAccess.READ;
    }

    @Override
    public int call(EventStore store) {
        PrintWriter out = spec.commandLine().getOut();
        if (newKey != null) {
            Path pub = DigestKeys.create(newKey);
            out.println("wrote the private key " + newKey + " (only you can read it; keep it outside the store) and the public key " + pub);
            return 0;
        }
        StoreDigest digest = JournalCheck.digestOf(store, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.println((sign == null ? digest : DigestKeys.sign(digest, sign)).text());
        return 0;
    }
}
