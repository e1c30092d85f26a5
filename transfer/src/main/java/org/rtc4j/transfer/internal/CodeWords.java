package org.rtc4j.transfer.internal;

import java.security.SecureRandom;
import java.util.List;

/**
 * The 256 words of a transfer code: short, common, easy to say and to type, each a distinct word (one byte of
 * the secret each). Our own list, in the spirit of the PGP word list that magic-wormhole reads out.
 */
public final class CodeWords {

    /** The words, in a fixed order: a word's index is the byte it stands for. */
    public static final List<String> WORDS = List.of(
            "acid", "acorn", "actor", "adobe", "aero", "alarm", "album", "alley", "alpha", "amber", "angle", "ankle",
            "apple", "apron", "arena", "argue", "armor", "arrow", "atlas", "attic", "audio", "autumn", "avocado",
            "award", "bacon", "badge", "bagel", "baker", "bamboo", "banana", "banjo", "barn", "basil", "basket",
            "beach", "beacon", "beard", "beaver", "bench", "berry", "bingo", "biscuit", "blanket", "blossom",
            "border", "bottle", "bounce", "branch", "brave", "bread", "brick", "bridge", "broom", "bubble", "bucket",
            "buffalo", "bugle", "butter", "cabin", "cactus", "camel", "candle", "canoe", "canyon", "carbon",
            "carpet", "carrot", "castle", "cedar", "cello", "cement", "chalk", "cherry", "chess", "chimney",
            "circle", "citrus", "clover", "cobalt", "cocoa", "comet", "copper", "coral", "cotton", "cousin",
            "coyote", "crater", "crayon", "cricket", "crystal", "cupboard", "cycle", "daisy", "dancer", "delta",
            "desert", "diamond", "dinner", "dolphin", "domino", "donkey", "dragon", "drum", "eagle", "echo", "elbow",
            "ember", "engine", "falcon", "fancy", "feather", "fiddle", "finch", "flannel", "flute", "forest",
            "fossil", "fountain", "fox", "galaxy", "garden", "garlic", "gecko", "ginger", "glacier", "globe",
            "goblet", "gopher", "granite", "gravel", "guitar", "hammer", "harbor", "harvest", "hazel", "helmet",
            "hermit", "honey", "hornet", "husky", "igloo", "indigo", "island", "ivory", "jacket", "jaguar", "jelly",
            "jigsaw", "jungle", "kayak", "kernel", "kettle", "kiwi", "koala", "ladder", "lagoon", "lantern", "lemon",
            "lentil", "letter", "lilac", "lizard", "lobster", "locket", "lotus", "magnet", "mango", "maple",
            "marble", "meadow", "melon", "meteor", "mitten", "monkey", "mosaic", "muffin", "mural", "nectar",
            "needle", "nickel", "noodle", "nutmeg", "oasis", "ocean", "olive", "onion", "orbit", "orchid", "otter",
            "oyster", "paddle", "pancake", "panda", "parrot", "pebble", "pepper", "piano", "pickle", "pigeon",
            "pillow", "pilot", "planet", "plum", "pocket", "poppy", "potato", "pretzel", "puffin", "pumpkin",
            "puzzle", "quartz", "quilt", "rabbit", "radish", "rainbow", "raven", "ribbon", "river", "robin",
            "rocket", "saddle", "salmon", "sandal", "satin", "scarf", "shadow", "shell", "silver", "sketch",
            "sparrow", "spider", "spinach", "sponge", "squirrel", "stamp", "summit", "sunset", "swan", "tablet",
            "tango", "teapot", "temple", "thimble", "thunder", "tiger", "toast", "tomato", "topaz", "tulip",
            "tunnel", "turtle", "umbrella", "valley", "velvet", "violin", "voyage");

    private CodeWords() {
    }

    /** {@code count} random words joined with '-'. */
    public static String random(SecureRandom random, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                b.append('-');
            }
            b.append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return b.toString();
    }

    /** Whether {@code word} is one of the list. */
    public static boolean known(String word) {
        return WORDS.contains(word);
    }
}
