package dev.descent.tensor;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the shape primitives and matrix products. */
class ViewGradientTest {
    private final Generator gen = Generator.seeded(31);

    private Tensor x(int... shape) {
        return GradCheck.randn(gen, shape);
    }

    @Test void reshape() { GradCheck.check("reshape", in -> in[0].reshape(-1, 2).mul(in[0].reshape(-1, 2)), x(3, 4)); }
    @Test void permute() { Tensor w = x(4, 2, 3); GradCheck.check("permute", in -> in[0].permute(2, 0, 1).mul(w), x(2, 3, 4)); }
    @Test void transposeThenReshape() { GradCheck.check("transpose", in -> in[0].transpose(0, 1).reshape(12), x(3, 4)); }
    @Test void narrow() { GradCheck.check("narrow", in -> in[0].narrow(1, 1, 3).exp(), x(2, 5)); }
    @Test void expand() { Tensor w = x(4, 3); GradCheck.check("expand", in -> in[0].expand(4, 3).mul(w), x(1, 3)); }
    @Test void unsqueezeSqueeze() { Tensor w = x(3, 1); GradCheck.check("unsqueeze", in -> in[0].unsqueeze(0).squeeze(0).unsqueeze(-1).mul(w), x(3)); }
    @Test void cat() { Tensor w = x(2, 5); GradCheck.check("cat", in -> Tensor.cat(List.of(in[0], in[1]), 1).mul(w), x(2, 2), x(2, 3)); }
    @Test void stack() { Tensor w = x(2, 3); GradCheck.check("stack", in -> Tensor.stack(List.of(in[0], in[1]), 0).mul(w), x(3), x(3)); }
    @Test void matmul2d() { GradCheck.check("matmul", in -> in[0].matmul(in[1]), x(3, 5), x(5, 4)); }
    @Test void matmulEdge() { GradCheck.check("matmul 1x1", in -> in[0].matmul(in[1]), x(1, 1), x(1, 7)); }
    @Test void matmulBatchedTimesMatrix() { GradCheck.check("matmul [b,m,k]x[k,n]", in -> in[0].matmul(in[1]), x(2, 3, 4), x(4, 5)); }
    @Test void matmulBatched() { GradCheck.check("bmm", in -> in[0].matmul(in[1]), x(2, 3, 4), x(2, 4, 2)); }
    @Test void matmulOfTransposedView() { GradCheck.check("matmul A^T", in -> in[0].t().matmul(in[1]), x(4, 3), x(4, 2)); }
}
