package org.rtc4j.media.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.rtc4j.media.ConstrainBoolean;
import org.rtc4j.media.ConstrainDOMString;
import org.rtc4j.media.ConstrainDouble;
import org.rtc4j.media.DoubleRange;
import org.rtc4j.media.MediaTrackCapabilities;
import org.rtc4j.media.MediaTrackConstraintSet;
import org.rtc4j.media.MediaTrackConstraints;
import org.rtc4j.media.MediaTrackSettings;

/**
 * The SelectSettings algorithm of Media Capture and Streams (section "Methods" of ConstrainablePattern): the
 * fitness distance of a settings dictionary to a constraint set, filtering by the basic set, narrowing by the
 * advanced sets in order, and picking the smallest distance. The spec's candidates are every setting a device
 * could run at; a device with continuous ranges has infinitely many, so {@link #candidates} takes, for each
 * property, the device's default and every number the constraints name (clamped into the capability range),
 * plus the sizes the asked aspect ratios give: the best setting always lies among these.
 */
public final class SettingsSelector {

    /** Aspect ratios compare within half a percent: a rounded pixel size rarely gives the exact ratio. */
    private static final double ASPECT_TOLERANCE = 0.005;

    /** The constrainable properties in a fixed order (the order failed constraints are named in). */
    public enum Property {
        WIDTH("width", true, MediaTrackConstraintSet::width, s -> num(s.width())),
        HEIGHT("height", true, MediaTrackConstraintSet::height, s -> num(s.height())),
        ASPECT_RATIO("aspectRatio", true, MediaTrackConstraintSet::aspectRatio, MediaTrackSettings::aspectRatio),
        FRAME_RATE("frameRate", true, MediaTrackConstraintSet::frameRate, MediaTrackSettings::frameRate),
        SAMPLE_RATE("sampleRate", true, MediaTrackConstraintSet::sampleRate, s -> num(s.sampleRate())),
        SAMPLE_SIZE("sampleSize", true, MediaTrackConstraintSet::sampleSize, s -> num(s.sampleSize())),
        CHANNEL_COUNT("channelCount", true, MediaTrackConstraintSet::channelCount, s -> num(s.channelCount())),
        DEVICE_ID("deviceId", true, MediaTrackConstraintSet::deviceId, MediaTrackSettings::deviceId),
        GROUP_ID("groupId", true, MediaTrackConstraintSet::groupId, MediaTrackSettings::groupId),
        /** Not implemented, so not supported: ignored whatever it asks (spec: fitness distance 0). */
        ECHO_CANCELLATION("echoCancellation", false, MediaTrackConstraintSet::echoCancellation, s -> null);

        final String w3c;
        final boolean supported;
        final Function<MediaTrackConstraintSet, Object> constraint;
        final Function<MediaTrackSettings, Object> setting;

        Property(String w3c, boolean supported, Function<MediaTrackConstraintSet, Object> constraint,
                 Function<MediaTrackSettings, Object> setting) {
            this.w3c = w3c;
            this.supported = supported;
            this.constraint = constraint;
            this.setting = setting;
        }

        public String w3cName() {
            return w3c;
        }
    }

    private SettingsSelector() {
    }

    private static Double num(Integer i) {
        return i == null ? null : i.doubleValue();
    }

    /** The best of {@code candidates} for {@code c}, with its distance; null if none meets the basic set. */
    public static Choice select(List<MediaTrackSettings> candidates, MediaTrackConstraints c) {
        List<MediaTrackSettings> remaining = new ArrayList<>();
        for (MediaTrackSettings s : candidates) {
            if (fitness(c.basic(), s, false) < Double.POSITIVE_INFINITY) {
                remaining.add(s);
            }
        }
        if (remaining.isEmpty()) {
            return null;
        }
        for (MediaTrackConstraintSet adv : c.advanced()) {
            List<MediaTrackSettings> narrowed = new ArrayList<>();
            for (MediaTrackSettings s : remaining) {
                if (fitness(adv, s, true) < Double.POSITIVE_INFINITY) {
                    narrowed.add(s);
                }
            }
            if (!narrowed.isEmpty()) {
                remaining = narrowed;
            }
        }
        // Ties are the user agent's choice: keep the first candidate's (the default's) shape, as cameras and
        // screens scale down without distorting.
        MediaTrackSettings reference = candidates.getFirst();
        Choice best = null;
        double bestShape = 0;
        for (MediaTrackSettings s : remaining) {
            double d = fitness(c.basic(), s, false);
            double shape = shapeDistance(s, reference);
            if (best == null || d < best.distance() || d == best.distance() && shape < bestShape) {
                best = new Choice(s, d);
                bestShape = shape;
            }
        }
        return best;
    }

    private static double shapeDistance(MediaTrackSettings s, MediaTrackSettings reference) {
        if (s.aspectRatio() == null || reference.aspectRatio() == null) {
            return 0;
        }
        return Math.abs(s.aspectRatio() - reference.aspectRatio()) / reference.aspectRatio();
    }

    /** A settings dictionary and its fitness distance. */
    public record Choice(MediaTrackSettings settings, double distance) {
    }

    /**
     * The name of a required constraint of {@code basic} that no candidate meets on its own, or {@code ""} (the
     * spec's {@code failedConstraint}).
     */
    public static String failedConstraint(List<MediaTrackSettings> candidates, MediaTrackConstraintSet basic) {
        for (Property p : Property.values()) {
            Object c = p.constraint.apply(basic);
            if (c == null) {
                continue;
            }
            boolean met = false;
            for (MediaTrackSettings s : candidates) {
                met |= distance(p, c, p.setting.apply(s), false) < Double.POSITIVE_INFINITY;
            }
            if (!met) {
                return p.w3c;
            }
        }
        return "";
    }

    /** Sum of the distances of every property of {@code set}; infinite when a required one fails. */
    public static double fitness(MediaTrackConstraintSet set, MediaTrackSettings s, boolean advanced) {
        double sum = 0;
        for (Property p : Property.values()) {
            Object c = p.constraint.apply(set);
            if (c != null) {
                sum += distance(p, c, p.setting.apply(s), advanced);
            }
        }
        return sum;
    }

    /**
     * The spec's fitness distance of one property: 0 if unsupported; infinite if required and unmet or absent;
     * 0 if the property does not apply; else how far the actual value is from the ideal one. In an advanced set
     * every value is required and nothing is ideal.
     */
    static double distance(Property p, Object c, Object actual, boolean advanced) {
        if (!p.supported) {
            return 0;
        }
        boolean required = advanced || switch (c) {
            case ConstrainDouble d -> d.isRequired();
            case ConstrainDOMString d -> d.isRequired();
            case ConstrainBoolean d -> d.isRequired();
            default -> throw new IllegalStateException();
        };
        if (required && (actual == null || !satisfies(p, c, actual, advanced))) {
            return Double.POSITIVE_INFINITY;
        }
        if (actual == null || advanced) {
            return 0;
        }
        return switch (c) {
            case ConstrainDouble d when d.ideal() != null -> {
                double a = (Double) actual;
                double i = d.ideal();
                yield a == i ? 0 : Math.abs(a - i) / Math.max(Math.abs(a), Math.abs(i));
            }
            case ConstrainDOMString d when !d.ideal().isEmpty() -> d.ideal().contains((String) actual) ? 0 : 1;
            case ConstrainBoolean d when d.ideal() != null -> d.ideal().equals(actual) ? 0 : 1;
            default -> 0;
        };
    }

    private static boolean satisfies(Property p, Object c, Object actual, boolean advanced) {
        return switch (c) {
            case ConstrainDouble d -> {
                double a = (Double) actual;
                Double exact = d.exact() != null ? d.exact() : advanced ? d.ideal() : null;
                yield (exact == null || near(p, a, exact)) && (d.min() == null || a >= d.min() - tol(p, d.min()))
                        && (d.max() == null || a <= d.max() + tol(p, d.max()));
            }
            case ConstrainDOMString d -> {
                List<String> exact = !d.exact().isEmpty() ? d.exact() : advanced ? d.ideal() : List.of();
                yield exact.isEmpty() || exact.contains((String) actual);
            }
            case ConstrainBoolean d -> {
                Boolean exact = d.exact() != null ? d.exact() : advanced ? d.ideal() : null;
                yield exact == null || exact.equals(actual);
            }
            default -> false;
        };
    }

    private static boolean near(Property p, double a, double b) {
        return Math.abs(a - b) <= tol(p, b);
    }

    private static double tol(Property p, double v) {
        return (p == Property.ASPECT_RATIO ? ASPECT_TOLERANCE : 1e-9) * Math.max(1, Math.abs(v));
    }

    /**
     * The settings worth considering on a device of these capabilities for these constraints, the default first
     * (so that it wins ties). {@code modes}, when not empty, are the device's only possible settings.
     */
    public static List<MediaTrackSettings> candidates(MediaTrackCapabilities caps, MediaTrackSettings defaults,
                                                      List<MediaTrackSettings> modes, MediaTrackConstraints c) {
        if (!modes.isEmpty()) {
            List<MediaTrackSettings> l = new ArrayList<>();
            l.add(defaults);
            modes.stream().filter(m -> !m.equals(defaults)).forEach(l::add);
            return l;
        }
        List<MediaTrackSettings> out = new ArrayList<>();
        out.add(defaults);
        if (defaults.width() != null) {
            Set<Double> ws = values(c, Property.WIDTH, caps.width(), defaults.width(), true);
            Set<Double> hs = values(c, Property.HEIGHT, caps.height(), defaults.height(), true);
            Set<Double> ars = values(c, Property.ASPECT_RATIO, caps.aspectRatio(), defaults.aspectRatio(), false);
            Set<Double> fs = values(c, Property.FRAME_RATE, caps.frameRate(), defaults.frameRate(), false);
            Set<Double> ws2 = new LinkedHashSet<>(ws);
            Set<Double> hs2 = new LinkedHashSet<>(hs);
            for (double ar : ars) {
                ws.forEach(w -> hs2.add(clampInt(caps.height(), w / ar)));
                hs.forEach(h -> ws2.add(clampInt(caps.width(), h * ar)));
            }
            for (double w : ws2) {
                for (double h : hs2) {
                    for (double f : fs) {
                        out.add(MediaTrackSettings.video((int) w, (int) h, f, defaults.deviceId(),
                                defaults.groupId()));
                    }
                }
            }
        } else {
            Set<Double> rs = values(c, Property.SAMPLE_RATE, caps.sampleRate(), defaults.sampleRate(), true);
            Set<Double> cs = values(c, Property.CHANNEL_COUNT, caps.channelCount(), defaults.channelCount(), true);
            for (double r : rs) {
                for (double ch : cs) {
                    out.add(MediaTrackSettings.audio((int) r, (int) ch, defaults.deviceId(), defaults.groupId()));
                }
            }
        }
        return out;
    }

    private static Set<Double> values(MediaTrackConstraints c, Property p, DoubleRange range, Number def,
                                      boolean integer) {
        Set<Double> s = new LinkedHashSet<>();
        s.add(def.doubleValue());
        List<MediaTrackConstraintSet> sets = new ArrayList<>(c.advanced());
        sets.addFirst(c.basic());
        for (MediaTrackConstraintSet set : sets) {
            if (p.constraint.apply(set) instanceof ConstrainDouble d) {
                for (Double v : new Double[] {d.exact(), d.ideal(), d.min(), d.max()}) {
                    if (v != null) {
                        s.add(integer ? clampInt(range, v) : range.clamp(v));
                    }
                }
            }
        }
        return s;
    }

    private static double clampInt(DoubleRange range, double v) {
        return Math.max(Math.ceil(range.min()), Math.min(Math.floor(range.max()), Math.round(v)));
    }
}
