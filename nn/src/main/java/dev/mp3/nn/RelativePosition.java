package dev.mp3.nn;

import dev.mp3.tensor.Require;

/**
 * The lookup of a 2D relative position bias (BEiT, Swin): one learned value per head for every
 * relative offset (dy, dx) between two patches of a gridHeight x gridWidth grid, plus BEiT's three
 * extra entries for the cls token: cls to patch, patch to cls, cls to cls. The table has
 * (2H-1)(2W-1)+3 rows whether or not the model has a cls token, so checkpoints keep one shape.
 *
 * <p>Patch i at (yi, xi) attending to patch j reads row (yi-yj+H-1)(2W-1) + (xi-xj+W-1), exactly as
 * timm's gen_relative_position_index, so tables load into timm's Beit unchanged.
 */
public record RelativePosition(int gridHeight, int gridWidth, boolean clsToken) {

    public RelativePosition {
        Require.that(gridHeight > 0 && gridWidth > 0, () -> "RelativePosition: grid " + gridHeight + "x" + gridWidth + " is empty");
    }

    public int tableRows() {
        return (2 * gridHeight - 1) * (2 * gridWidth - 1) + 3;
    }

    /** Tokens per sequence: the patches, plus one for the cls token. */
    public int tokens() {
        return gridHeight * gridWidth + (clsToken ? 1 : 0);
    }

    /** Row-major [tokens, tokens]: the table row for query token i and key token j. */
    public int[] index() {
        int t = tokens();
        int first = clsToken ? 1 : 0;
        int patches = gridHeight * gridWidth;
        int[] out = new int[t * t];
        for (int i = 0; i < patches; i++) {
            for (int j = 0; j < patches; j++) {
                int dy = i / gridWidth - j / gridWidth + gridHeight - 1;
                int dx = i % gridWidth - j % gridWidth + gridWidth - 1;
                out[(first + i) * t + first + j] = dy * (2 * gridWidth - 1) + dx;
            }
        }
        if (clsToken) {
            int rows = tableRows();
            for (int j = 0; j < t; j++) {
                out[j] = rows - 3;          // cls query -> any key
                out[j * t] = rows - 2;      // any query -> cls key
            }
            out[0] = rows - 1;              // cls -> cls
        }
        return out;
    }
}
