fn main() { println!("xworkmate-diag: not yet"); }
