package dev.chainkit.examples.confirm;

import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.examples.confirm.ConfirmMessage.Confirmed;
import dev.chainkit.examples.confirm.ConfirmMessage.Disputed;
import dev.chainkit.examples.confirm.ConfirmMessage.Resolution;
import dev.chainkit.examples.confirm.ConfirmMessage.ResultReport;
import dev.chainkit.examples.confirm.ConfirmMessage.Settled;
import io.vavr.control.Option;

/**
 * The wire codec of the match-result confirmation protocol.
 *
 * <p>Tags, fixed forever: {@code ResultReport} 1, {@code Confirmed} 2, {@code Disputed} 3, {@code Resolution} 4,
 * {@code Settled} 5. A score is three varints (wins, losses, draws); a choice is a byte ({@code ACCEPT} 1,
 * {@code ESCALATE} 2); a settlement is the match, the reporter, how ({@code AGREED} 1, {@code COUNTER_ACCEPTED} 2,
 * {@code ESCALATED} 3) and an optional score. Every record's own checks run on decode.
 *
 * <p>Thread safety: immutable singleton.
 */
public final class ConfirmCodec {

    /** The codec. */
    public static final ProtocolCodec<ConfirmMessage> CODEC = ProtocolCodec.builder(ConfirmProtocol.INSTANCE)
            .message(1, ResultReport.class, (m, out) -> score(out.writeString(m.match()), m.score()),
                    in -> new ResultReport(in.readString(), score(in)))
            .message(2, Confirmed.class, (m, out) -> score(out.writeString(m.match()), m.score()),
                    in -> new Confirmed(in.readString(), score(in)))
            .message(3, Disputed.class, (m, out) -> score(out.writeString(m.match()), m.counter()),
                    in -> new Disputed(in.readString(), score(in)))
            .message(4, Resolution.class, (m, out) -> out.writeString(m.match()).writeByte(choiceCode(m.choice())),
                    in -> new Resolution(in.readString(), choice(in)))
            .message(5, Settled.class, (m, out) -> settlement(out, m.settlement()),
                    in -> new Settled(settlement(in)))
            .build();

    private ConfirmCodec() {
    }

    private static WireWriter score(WireWriter out, Score s) {
        return out.writeVarInt(s.wins()).writeVarInt(s.losses()).writeVarInt(s.draws());
    }

    private static Score score(WireReader in) {
        return new Score(in.readVarInt(), in.readVarInt(), in.readVarInt());
    }

    private static int choiceCode(Resolution.Choice choice) {
        return switch (choice) {
            case ACCEPT -> 1;
            case ESCALATE -> 2;
        };
    }

    private static Resolution.Choice choice(WireReader in) {
        int at = in.position();
        int code = in.readByte();
        return switch (code) {
            case 1 -> Resolution.Choice.ACCEPT;
            case 2 -> Resolution.Choice.ESCALATE;
            default -> throw new WireFormatException(at, "unknown resolution choice code " + code + " (expected 1 or 2)");
        };
    }

    private static void settlement(WireWriter out, Settlement s) {
        int how = switch (s.how()) {
            case AGREED -> 1;
            case COUNTER_ACCEPTED -> 2;
            case ESCALATED -> 3;
        };
        out.writeString(s.match()).writeString(s.reporter()).writeByte(how).writeOptional(s.score().toJavaOptional(),
                (sc, o) -> score(o, sc));
    }

    private static Settlement settlement(WireReader in) {
        String match = in.readString();
        String reporter = in.readString();
        int at = in.position();
        int code = in.readByte();
        Settlement.How how = switch (code) {
            case 1 -> Settlement.How.AGREED;
            case 2 -> Settlement.How.COUNTER_ACCEPTED;
            case 3 -> Settlement.How.ESCALATED;
            default -> throw new WireFormatException(at, "unknown settlement code " + code + " (expected 1 to 3)");
        };
        return new Settlement(match, reporter, how, Option.ofOptional(in.readOptional(ConfirmCodec::score)));
    }
}
