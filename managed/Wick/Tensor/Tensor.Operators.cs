namespace Wick;

// Operators for C# and F#. F# resolves operators without implicit numeric conversions, so each
// scalar type a user may write (float32, float, int, int64) has its own overload on both sides.
public sealed partial class Tensor
{
#pragma warning disable CS1591 // the operators mean what they say
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();

    public static Tensor operator +(Tensor a, double s) => a.Add(s);
    public static Tensor operator +(Tensor a, float s) => a.Add((double)s);
    public static Tensor operator +(Tensor a, long s) => a.Add(s);
    public static Tensor operator +(Tensor a, int s) => a.Add((long)s);
    public static Tensor operator +(double s, Tensor a) => a.Add(s);
    public static Tensor operator +(float s, Tensor a) => a.Add((double)s);
    public static Tensor operator +(long s, Tensor a) => a.Add(s);
    public static Tensor operator +(int s, Tensor a) => a.Add((long)s);

    public static Tensor operator -(Tensor a, double s) => a.Sub(s);
    public static Tensor operator -(Tensor a, float s) => a.Sub((double)s);
    public static Tensor operator -(Tensor a, long s) => a.Sub(s);
    public static Tensor operator -(Tensor a, int s) => a.Sub((long)s);
    public static Tensor operator -(double s, Tensor a) => a.RSub(s);
    public static Tensor operator -(float s, Tensor a) => (double)s - a;
    public static Tensor operator -(long s, Tensor a) => a.RSub(s);
    public static Tensor operator -(int s, Tensor a) => (long)s - a;

    public static Tensor operator *(Tensor a, double s) => a.Mul(s);
    public static Tensor operator *(Tensor a, float s) => a.Mul((double)s);
    public static Tensor operator *(Tensor a, long s) => a.Mul(s);
    public static Tensor operator *(Tensor a, int s) => a.Mul((long)s);
    public static Tensor operator *(double s, Tensor a) => a.Mul(s);
    public static Tensor operator *(float s, Tensor a) => a.Mul((double)s);
    public static Tensor operator *(long s, Tensor a) => a.Mul(s);
    public static Tensor operator *(int s, Tensor a) => a.Mul((long)s);

    public static Tensor operator /(Tensor a, double s) => a.Div(s);
    public static Tensor operator /(Tensor a, float s) => a.Div((double)s);
    public static Tensor operator /(Tensor a, long s) => a.Div(s);
    public static Tensor operator /(Tensor a, int s) => a.Div((long)s);
    public static Tensor operator /(double s, Tensor a) => a.RDiv(s);
    public static Tensor operator /(float s, Tensor a) => (double)s / a;
    public static Tensor operator /(long s, Tensor a) => a.RDiv(s);
    public static Tensor operator /(int s, Tensor a) => (long)s / a;
#pragma warning restore CS1591
}
